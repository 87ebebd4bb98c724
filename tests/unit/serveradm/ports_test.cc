#include "ports.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "tutorial_config.h"

namespace serveradm {
namespace {

namespace fs = std::filesystem;

int Listen(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(fd, 1);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

TEST(Ports, CanBindSeesAListener) {
  int port = 0;
  int fd = Listen(&port);
  EXPECT_FALSE(CanBind(port));
  auto holder = PortHolder(port);
  ASSERT_TRUE(holder.has_value());
  EXPECT_NE(holder->find("pid " + std::to_string(::getpid())), std::string::npos) << *holder;
  ::close(fd);
  EXPECT_TRUE(CanBind(port));
}

TEST(Ports, ClaimsKeepTwoTutorialDirectoriesApart) {
  fs::path base = fs::temp_directory_path() / ("serveradm-ports-" + std::to_string(::getpid()));
  fs::create_directories(base / "a");
  fs::create_directories(base / "b");
  fs::create_directories(base / "reg");
  ::setenv("SERVERADM_PORT_REGISTRY", (base / "reg").c_str(), 1);
  PortRegistry a(base / "a"), b(base / "b");
  int pa = a.Allocate({}, nullptr);
  ASSERT_GE(pa, kBasePort);
  // A claim counts only while its directory lists the port.
  TutorialConfig ca;
  ca.flavor = "mariadb";
  ca.servers.push_back({"m", "master", pa, 1, ""});
  ca.Save(base / "a" / "serverconfig.toml");
  EXPECT_TRUE(b.ClaimedByOther(pa).has_value());
  int pb = b.Allocate({}, nullptr);
  EXPECT_NE(pa, pb);
  EXPECT_FALSE(b.Claim(pa));
  // Once a's server is gone, its claim is stale and may be taken.
  ca.servers.clear();
  ca.Save(base / "a" / "serverconfig.toml");
  EXPECT_FALSE(b.ClaimedByOther(pa).has_value());
  EXPECT_TRUE(b.Claim(pa));
  ::unsetenv("SERVERADM_PORT_REGISTRY");
  fs::remove_all(base);
}

TEST(Ports, RegistryIsPrivateAndFollowsNoLinks) {
  fs::path base = fs::temp_directory_path() / ("serveradm-reg-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "t");
  ::setenv("SERVERADM_PORT_REGISTRY", (base / "reg").c_str(), 1);
  PortRegistry r(base / "t");
  EXPECT_EQ(fs::status(base / "reg").permissions() & fs::perms::all, fs::perms::owner_all);
  // A link planted where the claim's temporary file goes is not written through.
  fs::path victim = base / "victim";
  { std::ofstream(victim) << "keep\n"; }
  int port = kBasePort + 777;
  while (!CanBind(port)) ++port;
  fs::create_symlink(victim,
                     base / "reg" / (std::to_string(port) + "." + std::to_string(::getpid())));
  EXPECT_TRUE(r.Claim(port));
  std::ifstream in(victim);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "keep");
  // An existing directory's permissions are left alone.
  fs::create_directories(base / "shared");
  fs::permissions(base / "shared", fs::perms::all);
  ::setenv("SERVERADM_PORT_REGISTRY", (base / "shared").c_str(), 1);
  PortRegistry again(base / "t");
  EXPECT_EQ(fs::status(base / "shared").permissions() & fs::perms::all, fs::perms::all);
  ::unsetenv("SERVERADM_PORT_REGISTRY");
  fs::remove_all(base);
}

}  // namespace
}  // namespace serveradm
