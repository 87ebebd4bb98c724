// A fixture for ParseServerOptions: option files live under a temporary
// root that stands for "/", the current directory is /work/tut, $HOME is
// /home/u and the host is "testhost".
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/options.h"
#include "test_files.h"

namespace reptut::config::testing {

class ServerOptionsTest : public ::testing::Test {
 protected:
  ServerOptionsTest() : fs_(root_.path()) {
    env_.cwd = "/work/tut";
    env_.home = "/home/u";
    env_.hostname = "testhost";
  }

  // Writes an option file at the absolute path `path` (under the root).
  void File(const std::string& path, const std::string& text, int mode = 0644) {
    root_.Write(path.substr(1), text, mode);
  }
  void Dir(const std::string& path) { root_.MakeDir(path.substr(1)); }

  Result<ServerOptions> Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "mysqld");
    return ParseServerOptions(args, env_, fs_);
  }
  ServerOptions Ok(std::vector<std::string> args) {
    auto r = Parse(std::move(args));
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? std::move(r).value() : ServerOptions{};
  }
  std::string Err(std::vector<std::string> args) {
    auto r = Parse(std::move(args));
    return r.ok() ? "(no error)" : r.error().message;
  }

  TempDir root_;
  RootedFileSystem fs_;
  Environment env_;
};

}  // namespace reptut::config::testing
