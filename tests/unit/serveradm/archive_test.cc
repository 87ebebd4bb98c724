#include "archive.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "failure.h"

namespace serveradm {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ArchiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("serveradm-arc-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "src" / "mysql");
    fs::create_directories(dir_ / "src" / std::string(120, 'd'));
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ArchiveTest, RoundTripWithProgressAndExcludes) {
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7);
  std::ofstream(dir_ / "src" / "ibdata1", std::ios::binary) << big;
  std::ofstream(dir_ / "src" / "mysql" / "user.MAD") << "users";
  std::ofstream(dir_ / "src" / std::string(120, 'd') / "long.frm") << "long path";
  std::ofstream(dir_ / "src" / "master.info") << "replication state";
  std::ofstream(dir_ / "src" / "empty");
  uint64_t last_done = 0, last_total = 0;
  uint64_t bytes = WriteArchive(dir_ / "b.tar.gz", dir_ / "src", "data", {"master.info"},
                                [&](uint64_t d, uint64_t t) { last_done = d, last_total = t; });
  EXPECT_EQ(bytes, big.size() + 5 + 9);
  EXPECT_EQ(last_done, last_total);
  EXPECT_EQ(ReadArchiveMember(dir_ / "b.tar.gz", "data/mysql/user.MAD"), "users");
  EXPECT_THROW(ReadArchiveMember(dir_ / "b.tar.gz", "data/master.info"), Failure);

  fs::create_directories(dir_ / "dst");
  ReadArchive(dir_ / "b.tar.gz", "data", dir_ / "dst", nullptr);
  EXPECT_EQ(Slurp(dir_ / "dst" / "ibdata1"), big);
  EXPECT_EQ(Slurp(dir_ / "dst" / "mysql" / "user.MAD"), "users");
  EXPECT_EQ(Slurp(dir_ / "dst" / std::string(120, 'd') / "long.frm"), "long path");
  EXPECT_TRUE(fs::exists(dir_ / "dst" / "empty"));
  EXPECT_FALSE(fs::exists(dir_ / "dst" / "master.info"));
}

TEST_F(ArchiveTest, SystemTarReadsIt) {
  std::ofstream(dir_ / "src" / "binlog_pos.dat") << "master-bin.000003 742\n";
  WriteArchive(dir_ / "b.tar.gz", dir_ / "src", "data", {}, nullptr);
  std::string cmd = "tar -xzOf " + (dir_ / "b.tar.gz").string() + " data/binlog_pos.dat > " +
                    (dir_ / "out").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(Slurp(dir_ / "out"), "master-bin.000003 742\n");
}

TEST_F(ArchiveTest, TruncatedArchiveIsAnError) {
  std::ofstream(dir_ / "src" / "f") << std::string(100000, 'x');
  WriteArchive(dir_ / "b.tar.gz", dir_ / "src", "data", {}, nullptr);
  std::string whole = Slurp(dir_ / "b.tar.gz");
  std::ofstream(dir_ / "cut.tar.gz", std::ios::binary) << whole.substr(0, whole.size() / 2);
  fs::create_directories(dir_ / "dst");
  EXPECT_THROW(ReadArchive(dir_ / "cut.tar.gz", "data", dir_ / "dst", nullptr), Failure);
}

}  // namespace
}  // namespace serveradm
