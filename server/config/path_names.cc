#include "config/path_names.h"

#include <filesystem>

namespace reptut::config {
namespace {

std::string Normal(const std::filesystem::path& p) {
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

size_t FileNameStart(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? 0 : slash + 1;
}

}  // namespace

std::string ExpandHome(const std::string& path, const std::string& home) {
  if (path == "~") return home;
  if (path.size() >= 2 && path[0] == '~' && path[1] == '/') return home + path.substr(1);
  return path;
}

std::string AbsoluteAgainst(const std::string& path, const std::string& base) {
  if (path.empty()) return Normal(base);
  std::filesystem::path p(path);
  if (p.is_absolute()) return Normal(p);
  return Normal(std::filesystem::path(base) / p);
}

std::string WithExtension(const std::string& path, std::string_view ext) {
  if (path.find('.', FileNameStart(path)) != std::string::npos) return path;
  return path + std::string(ext);
}

std::string WithoutExtension(const std::string& path) {
  size_t start = FileNameStart(path);
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || dot <= start) return path;
  return path.substr(0, dot);
}

}  // namespace reptut::config
