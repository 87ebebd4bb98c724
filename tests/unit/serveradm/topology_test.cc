#include "topology.h"

#include <gtest/gtest.h>

namespace serveradm {
namespace {

TEST(Topology, TreeOfMasterAndSlaves) {
  std::vector<ServerEntry> s = {{"master", "master", 12000, 1, ""},
                                {"slave", "slave", 12001, 2, "master"},
                                {"slave2", "slave", 12002, 3, "master"},
                                {"lone", "slave", 12003, 4, ""}};
  auto lines = TopologyText(s);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "master (master, port 12000, server_id 1)");
  EXPECT_EQ(lines[1], "|-- slave (slave, port 12001, server_id 2)");
  EXPECT_EQ(lines[2], "`-- slave2 (slave, port 12002, server_id 3)");
  EXPECT_EQ(lines[3], "lone (slave, port 12003, server_id 4)");
}

TEST(Topology, DualMastersDoNotLoop) {
  std::vector<ServerEntry> s = {{"m1", "master,slave", 1, 1, "m2"},
                                {"m2", "master,slave", 2, 2, "m1"},
                                {"s", "slave", 3, 3, "m1"}};
  auto lines = TopologyText(s);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].rfind("m1 ", 0), 0u);
  EXPECT_NE(lines[1].find("m2 (master,slave"), std::string::npos);
  EXPECT_NE(lines[2].find("m1 (replicates back: dual masters)"), std::string::npos);
  EXPECT_NE(lines[3].find("s (slave"), std::string::npos);
  std::string dot = TopologyDot(s);
  EXPECT_NE(dot.find("\"m2\" -> \"m1\";"), std::string::npos);
  EXPECT_NE(dot.find("\"m1\" -> \"s\";"), std::string::npos);
}

}  // namespace
}  // namespace serveradm
