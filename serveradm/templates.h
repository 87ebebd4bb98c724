// Templates: plain text files with named placeholders, {{name}}, rendered
// strictly. A placeholder serveradm has no value for (unknown, or missing
// from the values), a malformed one or a stray brace pair is an error, so a
// typo in a template never yields a half-filled file. A template need not use
// every value: the flavors' templates use different ones (relative paths for
// MariaDB, absolute ones for reptutd).
//
// Lookup for template T of flavor F, first found wins:
//   <tutorial>/templates/F/T, <tutorial>/templates/T   (a person's overrides)
//   the built-in sandbox-templates/F/T, sandbox-templates/T (compiled in)
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace serveradm {

using TemplateValues = std::map<std::string, std::string>;

struct Template {
  std::string name;    // "server.cnf"
  std::string origin;  // "built-in mariadb/server.cnf" or "templates/server.cnf"
  std::string text;
};

// Replaces every {{key}} in `text` by its value. Throws Failure (step
// "render template <name>") on an unknown or malformed placeholder, or on a
// value that no placeholder uses when `all_used` is set.
std::string Render(const std::string& name, const std::string& text, const TemplateValues& values,
                   bool all_used = true);

// The placeholder names a template uses, in order of first appearance.
std::vector<std::string> Placeholders(const std::string& text);

class TemplateStore {
 public:
  TemplateStore(std::filesystem::path tutorial_dir, std::string flavor)
      : dir_(std::move(tutorial_dir)), flavor_(std::move(flavor)) {}

  // Throws Failure when no template of that name exists.
  Template Find(const std::string& name) const;

  // Renders `name` as a generated file: the first line is a comment naming
  // the template that made it (with `comment` as the comment marker).
  std::string RenderFile(const std::string& name, const TemplateValues& values,
                         const std::string& comment = "#") const;
  // Renders `name` as a fragment or a statement: no header line.
  std::string RenderText(const std::string& name, const TemplateValues& values) const;

 private:
  std::filesystem::path dir_;
  std::string flavor_;
};

}  // namespace serveradm
