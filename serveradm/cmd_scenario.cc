// serveradm scenario list
// serveradm scenario show NAME
// serveradm scenario run NAME [flavor=bundled|mariadb] [--step] [--json] [--keep] [--here]
//                             [--exercise]
// serveradm scenario check [NAME] [--continue] [--json]
//
// NAME is a built-in scenario or the path of a scenario file. The scenario
// is read and checked whole before anything starts (scenario/parser.h).
#include <stdlib.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "commands.h"
#include "failure.h"
#include "scenario/library.h"
#include "scenario/parser.h"
#include "scenario/report.h"
#include "scenario/runner.h"
#include "teacher.h"

namespace serveradm {

namespace fs = std::filesystem;
using namespace scenario;

namespace {

const char kStateFile[] = "scenario-state.toml";

// Exit status: 0 every step held, 1 a step failed, 2 bad input (usage or
// scenario file), 4 stopped by the person at the keyboard (--step, q), 130
// interrupted (Ctrl-C).
constexpr int kStopped = 4;
// 130 (128 + SIGINT), as a shell reports a command stopped by Ctrl-C.
constexpr int kInterrupted = 130;

// A scenario file refused before anything ran: exit status 2, no usage hint.
struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Scenario Read(const std::string& name_or_path) {
  ScenarioText t = LoadScenario(name_or_path);
  try {
    return Parse(t.text, t.source, t.name);
  } catch (const ScenarioError& e) {
    throw Refused(std::string("scenario refused, nothing was run:\n  ") + e.what());
  }
}

// A spinner on the current step's line while it runs, on a terminal only.
class Spinner {
 public:
  Spinner(bool on, std::string text) {
    if (!on) return;
    thread_ = std::thread([this, text = std::move(text)] {
      static const char* frames[] = {"|", "/", "-", "\\"};
      auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; !stop_; ++i) {
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (s > 0.3) {
          std::printf("\r\033[K%s %s (%.0fs)", frames[i % 4], text.c_str(), s);
          std::fflush(stdout);
          drawn_ = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~Spinner() {
    if (!thread_.joinable()) return;
    stop_ = true;
    thread_.join();
    if (drawn_) std::printf("\r\033[K"), std::fflush(stdout);
  }

 private:
  std::atomic<bool> stop_{false}, drawn_{false};
  std::thread thread_;
};

struct State {
  std::string name, path, flavor;
  size_t next = 0;  // the exercise step
  std::map<std::string, std::string> captures;
};

void SaveState(const fs::path& dir, const State& s) {
  toml::table caps;
  for (const auto& [k, v] : s.captures) caps.insert(k, v);
  toml::table t{{"scenario", s.name},
                {"path", s.path},
                {"flavor", s.flavor},
                {"exercise_step", static_cast<int64_t>(s.next + 1)},
                {"captures", caps}};
  std::ofstream out(dir / kStateFile);
  out << "# Written by 'serveradm scenario run --exercise': where the exercise stands.\n"
      << t << "\n";
}

State LoadState(const fs::path& dir) {
  fs::path f = dir / kStateFile;
  if (!fs::exists(f))
    throw Failure("", "scenario check",
                  "no exercise in progress in " + dir.string() + " (no " + kStateFile +
                      "): start one with 'serveradm scenario run NAME --exercise', and run "
                      "check in the directory it prints");
  try {
    toml::table t = toml::parse_file(f.string());
    State s;
    s.name = t["scenario"].value_or(std::string());
    s.path = t["path"].value_or(std::string());
    s.flavor = t["flavor"].value_or(std::string("bundled"));
    s.next = static_cast<size_t>(t["exercise_step"].value_or(int64_t{1}) - 1);
    if (auto* caps = t["captures"].as_table())
      for (const auto& [k, v] : *caps) s.captures[std::string(k.str())] = v.value_or(std::string());
    return s;
  } catch (const toml::parse_error& e) {
    throw Failure("", "scenario check",
                  f.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
}

class Session {
 public:
  Session(const Scenario& sc, fs::path dir, std::string flavor, bool json)
      : sc_(sc),
        dir_(std::move(dir)),
        flavor_(std::move(flavor)),
        json_(json),
        runner_(sc, dir_, flavor_) {
    report_.name = sc.name;
    report_.title = sc.title;
    report_.source = sc.source;
    report_.flavor = flavor_;
    report_.directory = dir_.string();
  }

  Runner& runner() { return runner_; }
  Report& report() { return report_; }

  void Say(const std::string& line) {
    if (!json_) std::cout << line << std::endl;
  }

  // Runs steps from `begin`; stops after a failure, before an exercise step
  // when `stop_at_exercise`, or when the person types q in step mode.
  // Returns the index it stopped at (steps.size() at the end).
  size_t Run(size_t begin, bool step_mode, bool stop_at_exercise, bool* stopped) {
    const size_t total = sc_.steps.size();
    for (size_t i = begin; i < total; ++i) {
      const Step& st = sc_.steps[i];
      if (stop_at_exercise && st.exercise) return i;
      if (g_interrupted || (step_mode && !Prompt(i))) {
        *stopped = true;
        return i;
      }
      StepResult r;
      {
        Spinner spin(!json_ && ::isatty(1) && !step_mode,
                     std::to_string(i + 1) + "/" + std::to_string(total) + " " + runner_.Label(i));
        r = runner_.RunStep(i);
      }
      report_.steps.push_back(r);
      Say(StepLine(r, total));
      if (st.kind == Kind::kNote && r.status == Status::kPassed && !step_mode) {
        std::istringstream in(st.text);
        for (std::string l; std::getline(in, l);) Say("          | " + l);
      }
      if (r.status == Status::kFailed) {
        if (!json_) std::cout << FailureBlock(r) << std::flush;
        return i;
      }
    }
    return total;
  }

  bool Prompt(size_t i) {
    const Step& st = sc_.steps[i];
    std::cout << "\n── Step " << i + 1 << "/" << sc_.steps.size() << ": " << runner_.Label(i)
              << "\n";
    if (!st.why.empty()) std::cout << "   why: " << st.why << "\n";
    if (st.kind == Kind::kNote) {
      std::istringstream in(st.text);
      for (std::string l; std::getline(in, l);) std::cout << "   | " << l << "\n";
    }
    for (const auto& c : runner_.Commands(i)) std::cout << "   " << c << "\n";
    std::cout << "   [Enter] run it, q stop here > " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
      std::cout << "\n";
      return true;  // no more input: run on
    }
    return !(answer == "q" || answer == "Q" || answer == "quit");
  }

  bool Finish(double seconds) {
    report_.seconds = seconds;
    bool ok = !report_.steps.empty() || sc_.steps.empty();
    for (const auto& s : report_.steps) ok &= s.status != Status::kFailed;
    return ok;
  }

 private:
  const Scenario& sc_;
  fs::path dir_;
  std::string flavor_;
  bool json_;
  Runner runner_;
  Report report_;
};

int List() {
  Teacher& t = Teacher::Get();
  for (const auto& n : BuiltinNames()) {
    Scenario sc = Read(n);
    size_t ex = 0;
    for (const auto& s : sc.steps) ex += s.exercise;
    char line[256];
    std::snprintf(line, sizeof line, "%-24s %3zu steps%s  %s", n.c_str(), sc.steps.size(),
                  ex ? ", exercise" : "          ", sc.title.c_str());
    t.Say(line);
  }
  t.Say("");
  t.Say("serveradm scenario show NAME    the steps and why, nothing run");
  t.Say("serveradm scenario run NAME     run it (--step: one step per Enter)");
  return 0;
}

int Show(const std::string& name) {
  Scenario sc = Read(name);
  Runner r(sc, fs::temp_directory_path() / "reptut-scenario-show-nonexistent", "bundled");
  std::cout << sc.title << "  (" << sc.source << ")\n\n" << sc.summary;
  if (!sc.summary.empty() && sc.summary.back() != '\n') std::cout << "\n";
  std::cout << "\nServers:";
  for (const auto& d : sc.servers) std::cout << " " << d.name << " (" << d.roles << ")";
  if (!sc.flavors.empty()) {
    std::cout << "\nFlavors:";
    for (const auto& f : sc.flavors) std::cout << " " << f;
  }
  std::cout << "\n\n";
  for (size_t i = 0; i < sc.steps.size(); ++i) {
    const Step& st = sc.steps[i];
    std::cout << i + 1 << ". " << r.Label(i) << (st.exercise ? "   [exercise]" : "") << "\n";
    if (!st.why.empty()) std::cout << "   why: " << st.why << "\n";
    if (st.kind == Kind::kNote) {
      std::istringstream in(st.text);
      for (std::string l; std::getline(in, l);) std::cout << "   | " << l << "\n";
    }
    if (st.exercise) {
      std::istringstream in(st.task);
      bool first = true;
      for (std::string l; std::getline(in, l); first = false)
        std::cout << (first ? "   task: " : "         ") << l << "\n";
    }
    for (const auto& c : r.Commands(i)) std::cout << "   " << c << "\n";
    if (!st.flavors.empty()) {
      std::cout << "   (only on";
      for (const auto& f : st.flavors) std::cout << " " << f;
      std::cout << ")\n";
    }
  }
  return 0;
}

void PrintExercise(const Scenario& sc, size_t i, const fs::path& dir, const std::string& name) {
  const Step& st = sc.steps[i];
  std::cout << "\nExercise (step " << i + 1 << " of " << sc.steps.size() << "): " << st.task
            << "\n   why: " << st.why << "\n\nThe servers are running in " << dir.string()
            << ". Do it by hand there, then check your work:\n   cd " << dir.string()
            << " && serveradm scenario check " << name << "\n";
}

int Run(const Args& args) {
  if (args.positional.size() < 2) throw UsageError("scenario run: usage is scenario run NAME");
  const std::string name = args.positional[1];
  Scenario sc = Read(name);
  ScenarioText text = LoadScenario(name);
  const std::string flavor = args.GetOr("flavor", "bundled");
  if (flavor != "bundled" && flavor != "mariadb")
    throw UsageError("scenario run: flavor=" + flavor + " is not one of bundled, mariadb");
  const bool json = args.Flag("json"), step = args.Flag("step"), exercise = args.Flag("exercise");
  const bool here = args.Flag("here");
  if (json && step) throw UsageError("scenario run: --json and --step do not go together");
  bool keep = args.Flag("keep") || exercise || here;

  if (!sc.flavors.empty() &&
      std::find(sc.flavors.begin(), sc.flavors.end(), flavor) == sc.flavors.end()) {
    std::string why = "the scenario runs only on " + sc.flavors.front();
    if (json) {
      Report r;
      r.name = sc.name, r.title = sc.title, r.source = sc.source, r.flavor = flavor;
      r.passed = true;
      r.outcome = "skipped: " + why;
      std::cout << ToJson(r) << std::endl;
    } else {
      std::cout << "Scenario " << sc.name << " skipped on " << flavor << ": " << why << "\n";
    }
    return 0;
  }

  fs::path dir;
  if (here) {
    dir = fs::current_path();
  } else {
    std::string tmpl = (fs::temp_directory_path() / ("reptut-scenario-" + sc.name + "-XXXXXX"));
    if (!::mkdtemp(tmpl.data()))
      throw Failure("", "scenario run", "cannot create a directory like " + tmpl);
    dir = tmpl;
  }
  Teacher::Get().Configure(false, true);  // the runner reports; commands stay quiet
  // Ctrl-C (or SIGTERM) stops the run after the current step: the servers
  // are stopped and the directory kept, as after a failure.
  struct sigaction sa {};
  sa.sa_handler = [](int) { g_interrupted = 1; };
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  Session session(sc, dir, flavor, json);
  session.Say("Scenario " + sc.name + ": " + sc.title + " (" + flavor + " flavor, in " +
              dir.string() + ")");
  auto t0 = std::chrono::steady_clock::now();
  bool stopped = false;
  size_t at = sc.steps.size();
  bool setup_failed = false;
  try {
    bool configured = fs::exists(dir / "serverconfig.toml");
    if (!configured) session.runner().Setup();
  } catch (const std::exception& e) {
    StepResult r;
    r.index = 0;
    r.kind = "setup";
    r.label = "serveradm setup flavor=" + flavor;
    r.why = "a tutorial directory for the scenario's servers";
    r.status = Status::kFailed;
    r.detail = e.what();
    session.report().steps.push_back(r);
    session.Say(StepLine(r, sc.steps.size()));
    if (!json) std::cout << FailureBlock(r);
    setup_failed = true;
  }
  if (!setup_failed) at = session.Run(0, step, exercise, &stopped);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  bool ok = !setup_failed && session.Finish(secs);
  Report& rep = session.report();
  rep.seconds = secs;
  const bool interrupted = g_interrupted != 0;
  if (interrupted) ok = false;
  const bool paused_for_exercise = ok && exercise && at < sc.steps.size();
  if (interrupted) {
    rep.outcome = "interrupted at step " + std::to_string(at + 1);
  } else if (!ok) {
    rep.outcome = "failed at step " + std::to_string(rep.steps.back().index);
  } else if (stopped) {
    rep.outcome = "stopped before step " + std::to_string(at + 1);
  } else if (paused_for_exercise) {
    rep.outcome = "exercise at step " + std::to_string(at + 1);
  } else {
    rep.outcome = "passed";
  }
  rep.passed = ok && !stopped;

  if (paused_for_exercise) {
    SaveState(dir, {sc.name, text.path, flavor, at, session.runner().captures()});
    if (!json) PrintExercise(sc, at, dir, text.path.empty() ? sc.name : text.path);
  } else if (interrupted) {
    session.runner().KillAll();
    session.Say("\nInterrupted at step " + std::to_string(at + 1) +
                ": the servers were stopped; the directory is kept: " + dir.string());
  } else if (!ok) {
    session.runner().KillAll();
    session.Say("\nFAILED (" + rep.outcome + ", " + std::to_string(secs).substr(0, 5) +
                " s). The tutorial directory is kept for a look: " + dir.string() +
                "\n  (its servers were stopped; cd there and 'serveradm start all' to explore)");
  } else if (stopped) {
    session.Say("\nStopped before step " + std::to_string(at + 1) +
                ". The servers are left running in " + dir.string() +
                " (serveradm status there; serveradm stop all when done).");
  } else if (keep) {
    session.Say("\nPassed: " + std::to_string(rep.steps.size()) + " steps in " +
                std::to_string(secs).substr(0, 5) + " s. The servers are left running in " +
                dir.string() + " (serveradm stop all there when done).");
  } else {
    session.runner().KillAll();
    std::error_code ec;
    fs::remove_all(dir, ec);
    rep.directory.clear();
    session.Say("\nPassed: " + std::to_string(rep.steps.size()) + " steps in " +
                std::to_string(secs).substr(0, 5) + " s.");
  }
  if (json) std::cout << ToJson(rep) << std::endl;
  if (interrupted) return kInterrupted;
  if (!ok) return 1;
  return stopped ? kStopped : 0;
}

int CheckExercise(const Args& args) {
  const fs::path dir = fs::current_path();
  State st = LoadState(dir);
  std::string name = args.positional.size() >= 2 ? args.positional[1] : "";
  const std::string source = st.path.empty() ? st.name : st.path;
  if (!name.empty() && name != st.name && name != st.path)
    throw Failure("", "scenario check",
                  "the exercise in progress here is " + st.name + ", not " + name);
  Scenario sc = Read(source);
  if (st.next >= sc.steps.size() || !sc.steps[st.next].exercise)
    throw Failure("", "scenario check",
                  "step " + std::to_string(st.next + 1) + " of " + sc.name +
                      " is not an exercise (the scenario file changed since the run?)");
  const bool json = args.Flag("json");
  Teacher::Get().Configure(false, true);
  Session session(sc, dir, st.flavor, json);
  session.runner().captures() = st.captures;
  auto t0 = std::chrono::steady_clock::now();
  StepResult r = session.runner().RunStep(st.next, /*checks_only=*/true);
  session.report().steps.push_back(r);
  const Step& ex = sc.steps[st.next];
  bool ok = r.status != Status::kFailed;
  if (!json) {
    std::cout << "Checking the exercise (step " << st.next + 1 << "): " << ex.task << "\n";
    for (const auto& c : r.checks) {
      std::cout << (c.ok ? "  right:   " : "  missing: ") << c.label << "\n";
      if (!c.why.empty()) std::cout << "           (" << c.why << ")\n";
      if (!c.ok)
        std::cout << "           expected " << c.expected << "\n           seen " << c.seen << "\n";
    }
    if (!r.detail.empty() && r.checks.empty()) std::cout << "  " << r.detail << "\n";
    std::cout << (ok ? "All checks hold." : "Not yet: fix what is missing and check again.")
              << "\n";
  }
  bool finished = false;
  if (ok && args.Flag("continue")) {
    session.Say("Continuing with step " + std::to_string(st.next + 2) + ".");
    bool stopped = false;
    size_t at = session.Run(st.next + 1, false, /*stop_at_exercise=*/true, &stopped);
    ok = session.report().steps.back().status != Status::kFailed;
    if (ok && at < sc.steps.size()) {
      st.next = at;
      st.captures = session.runner().captures();
      SaveState(dir, st);
      if (!json) PrintExercise(sc, at, dir, source);
    } else if (ok) {
      finished = true;
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  session.report().seconds = secs;
  session.report().passed = ok;
  session.report().outcome = ok ? (finished ? "passed" : "exercise checked") : "failed";
  if (finished) {
    fs::remove(dir / kStateFile);
    session.Say("Scenario " + sc.name + " completed. The servers are left running here.");
  }
  if (json) std::cout << ToJson(session.report()) << std::endl;
  return ok ? 0 : 1;
}

}  // namespace

namespace {
int Dispatch(const Args& args);
}

int CmdScenario(const Args& args, const fs::path&) {
  CheckArgs(args, {"flavor"}, {"step", "json", "keep", "here", "exercise", "continue"}, 2);
  if (args.positional.empty())
    throw UsageError("scenario: usage is scenario list | show NAME | run NAME | check [NAME]");
  try {
    return Dispatch(args);
  } catch (const Refused& e) {
    std::cerr << "serveradm: " << e.what() << std::endl;
    return 2;
  }
}

namespace {
int Dispatch(const Args& args) {
  const std::string& sub = args.positional[0];
  if (sub == "list") return List();
  if (sub == "show") {
    if (args.positional.size() < 2) throw UsageError("scenario show: usage is scenario show NAME");
    return Show(args.positional[1]);
  }
  if (sub == "run") return Run(args);
  if (sub == "check") return CheckExercise(args);
  throw UsageError("scenario: unknown subcommand '" + sub + "' (list, show, run, check)");
}
}  // namespace

}  // namespace serveradm
