// Path and file-name rules mysqld applies to the paths in its options.
#pragma once

#include <string>
#include <string_view>

namespace reptut::config {

// "~" and "~/x" -> home, home + "/x".
std::string ExpandHome(const std::string& path, const std::string& home);

// path made absolute against base (when relative) and normalised:
// "./a/../b/" -> base + "/b".
std::string AbsoluteAgainst(const std::string& path, const std::string& base);

// "name" -> "name" + ext when the file name has no extension ("master" ->
// "master.pid"; "master.x" stays).
std::string WithExtension(const std::string& path, std::string_view ext);

// "master-bin.log" -> "master-bin": mysqld drops an extension on log names.
std::string WithoutExtension(const std::string& path);

}  // namespace reptut::config
