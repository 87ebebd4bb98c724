// ForEachParallel, kept out of supervisor.h for readability.
#pragma once

#include <exception>
#include <mutex>
#include <thread>

#include "failure.h"
#include "teacher.h"

namespace serveradm {

template <typename Fn>
int ForEachParallel(const std::vector<const ServerEntry*>& servers, Fn fn) {
  std::mutex mu;
  int failures = 0;
  std::vector<std::thread> threads;
  for (const ServerEntry* s : servers) {
    threads.emplace_back([&, s] {
      try {
        fn(*s);
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        ++failures;
        Teacher::Get().Warn(std::string("serveradm: ") + e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  return failures;
}

}  // namespace serveradm
