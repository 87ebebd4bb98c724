#include "archive.h"

#include <sys/stat.h>
#include <zlib.h>

#include <array>
#include <cstring>
#include <fstream>
#include <vector>

#include "failure.h"

namespace serveradm {

namespace fs = std::filesystem;

namespace {

constexpr size_t kBlock = 512;

class GzFile {
 public:
  GzFile(const fs::path& p, const char* mode) : gz_(gzopen(p.c_str(), mode)), path_(p) {
    if (!gz_) throw Failure("", std::string("open ") + p.string(), std::strerror(errno));
  }
  ~GzFile() {
    if (gz_) gzclose(gz_);
  }
  void Write(const void* data, size_t n) {
    if (n && gzwrite(gz_, data, static_cast<unsigned>(n)) != static_cast<int>(n))
      throw Failure("", "write " + path_.string(), "gzip write failed (disk full?)");
  }
  // Reads exactly n bytes; false at a clean end of file.
  bool Read(void* data, size_t n) {
    int got = gzread(gz_, data, static_cast<unsigned>(n));
    if (got == 0) return false;
    if (got != static_cast<int>(n))
      throw Failure("", "read " + path_.string(), "truncated or corrupt archive");
    return true;
  }
  void Close() {
    if (gzclose(gz_) != Z_OK) throw Failure("", "write " + path_.string(), "gzip close failed");
    gz_ = nullptr;
  }
  uint64_t Offset() const { return static_cast<uint64_t>(gzoffset(gz_)); }

 private:
  gzFile gz_;
  fs::path path_;
};

void Octal(char* field, size_t width, uint64_t value) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(value));
}

std::array<char, kBlock> Header(const std::string& name, char type, uint64_t size, unsigned mode,
                                time_t mtime) {
  std::array<char, kBlock> h{};
  std::string n = name, prefix;
  if (n.size() > 100) {
    auto slash = n.rfind('/', n.size() - 1);
    while (slash != std::string::npos && n.size() - slash - 1 > 100)
      slash = n.rfind('/', slash - 1);
    if (slash == std::string::npos || slash > 155)
      throw Failure("", "archive " + name, "path too long for a tar header");
    prefix = n.substr(0, slash);
    n = n.substr(slash + 1);
  }
  std::memcpy(h.data(), n.data(), n.size());
  Octal(h.data() + 100, 8, mode & 07777);
  Octal(h.data() + 108, 8, 0);
  Octal(h.data() + 116, 8, 0);
  Octal(h.data() + 124, 12, size);
  Octal(h.data() + 136, 12, static_cast<uint64_t>(mtime));
  h[156] = type;
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  std::memcpy(h.data() + 345, prefix.data(), prefix.size());
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  h[155] = ' ';
  return h;
}

uint64_t ParseOctal(const char* field, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width && field[i]; ++i) {
    if (field[i] == ' ') continue;
    if (field[i] < '0' || field[i] > '7') break;
    v = v * 8 + static_cast<uint64_t>(field[i] - '0');
  }
  return v;
}

struct Entry {
  std::string name;
  char type = 0;
  uint64_t size = 0;
  unsigned mode = 0;
};

// Reads the next header; false at the end-of-archive marker.
bool NextHeader(GzFile& in, Entry* e) {
  std::array<char, kBlock> h{};
  if (!in.Read(h.data(), kBlock)) return false;
  bool zero = true;
  for (char c : h)
    if (c) zero = false;
  if (zero) return false;
  std::string name(h.data(), strnlen(h.data(), 100));
  std::string prefix(h.data() + 345, strnlen(h.data() + 345, 155));
  e->name = prefix.empty() ? name : prefix + "/" + name;
  e->type = h[156];
  e->size = ParseOctal(h.data() + 124, 12);
  e->mode = static_cast<unsigned>(ParseOctal(h.data() + 100, 8));
  return true;
}

}  // namespace

uint64_t WriteArchive(const fs::path& archive, const fs::path& root, const std::string& prefix,
                      const std::set<std::string>& exclude, const ProgressFn& progress) {
  // Collect first: the total makes the progress meaningful.
  std::vector<fs::directory_entry> entries;
  uint64_t total = 0;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    auto rel = fs::relative(it->path(), root);
    if (it.depth() == 0 && exclude.count(rel.string())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) {
      total += it->file_size();
      entries.push_back(*it);
    } else if (it->is_directory()) {
      entries.push_back(*it);
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  GzFile out(archive, "wb1");
  auto dir_header = Header(prefix + "/", '5', 0, 0755, 0);
  out.Write(dir_header.data(), kBlock);
  uint64_t done = 0;
  std::vector<char> buf(1 << 20);
  for (const auto& e : entries) {
    std::string name = prefix + "/" + fs::relative(e.path(), root).string();
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    if (e.is_directory()) {
      auto h = Header(name + "/", '5', 0, st.st_mode, st.st_mtime);
      out.Write(h.data(), kBlock);
      continue;
    }
    std::ifstream in(e.path(), std::ios::binary);
    if (!in) throw Failure("", "archive " + e.path().string(), "cannot read it");
    uint64_t size = static_cast<uint64_t>(st.st_size);
    auto h = Header(name, '0', size, st.st_mode, st.st_mtime);
    out.Write(h.data(), kBlock);
    uint64_t left = size;
    while (left > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
      in.read(buf.data(), static_cast<std::streamsize>(n));
      if (static_cast<size_t>(in.gcount()) != n)
        throw Failure("", "archive " + e.path().string(), "file shrank while being copied");
      out.Write(buf.data(), n);
      left -= n;
      done += n;
      if (progress) progress(done, total);
    }
    static const char zeros[kBlock] = {};
    if (size % kBlock) out.Write(zeros, kBlock - size % kBlock);
  }
  static const char end[2 * kBlock] = {};
  out.Write(end, sizeof end);
  out.Close();
  return done;
}

uint64_t ReadArchive(const fs::path& archive, const std::string& prefix, const fs::path& dest,
                     const ProgressFn& progress) {
  uint64_t total = fs::file_size(archive);
  GzFile in(archive, "rb");
  Entry e;
  uint64_t done = 0;
  std::vector<char> buf(1 << 20);
  const std::string want = prefix + "/";
  while (NextHeader(in, &e)) {
    uint64_t padded = (e.size + kBlock - 1) / kBlock * kBlock;
    bool ours = e.name.rfind(want, 0) == 0;
    fs::path rel = ours ? fs::path(e.name.substr(want.size())).lexically_normal() : fs::path();
    if (ours && (rel.is_absolute() || rel.string().rfind("..", 0) == 0))
      throw Failure("", "restore " + archive.string(), "entry '" + e.name + "' escapes the target");
    if (ours && (e.type == '5') && !rel.empty()) {
      fs::create_directories(dest / rel);
    }
    std::ofstream out;
    if (ours && (e.type == '0' || e.type == '\0')) {
      fs::create_directories((dest / rel).parent_path());
      out.open(dest / rel, std::ios::binary | std::ios::trunc);
      if (!out)
        throw Failure("", "restore " + archive.string(), "cannot write " + (dest / rel).string());
    }
    uint64_t left = padded;
    uint64_t data_left = e.size;
    while (left > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
      if (!in.Read(buf.data(), n))
        throw Failure("", "restore " + archive.string(), "archive ends inside '" + e.name + "'");
      size_t data = static_cast<size_t>(std::min<uint64_t>(n, data_left));
      if (out.is_open()) out.write(buf.data(), static_cast<std::streamsize>(data));
      data_left -= data;
      left -= n;
      done += data;
      if (progress) progress(std::min(in.Offset(), total), total);
    }
    if (out.is_open()) {
      out.close();
      if (e.mode) fs::permissions(dest / rel, static_cast<fs::perms>(e.mode & 0777));
    }
  }
  return done;
}

std::string ReadArchiveMember(const fs::path& archive, const std::string& name) {
  GzFile in(archive, "rb");
  Entry e;
  std::vector<char> buf(kBlock);
  while (NextHeader(in, &e)) {
    uint64_t padded = (e.size + kBlock - 1) / kBlock * kBlock;
    if (e.name == name) {
      std::string data(padded, '\0');
      if (padded && !in.Read(data.data(), padded))
        throw Failure("", "read " + archive.string(), "truncated archive");
      data.resize(e.size);
      return data;
    }
    for (uint64_t left = padded; left > 0; left -= kBlock) in.Read(buf.data(), kBlock);
  }
  throw Failure("", "read " + archive.string(), "no '" + name + "' in the archive");
}

}  // namespace serveradm
