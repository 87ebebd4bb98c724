// Constants of the MySQL client/server protocol shared by the codec
// (protocol/) and the engine that describes result columns (engine/).
#pragma once

#include <cstdint>

namespace reptut::mysql {

// enum_field_types
enum FieldType : uint8_t {
  kTypeDecimal = 0,
  kTypeTiny = 1,
  kTypeShort = 2,
  kTypeLong = 3,
  kTypeFloat = 4,
  kTypeDouble = 5,
  kTypeNull = 6,
  kTypeTimestamp = 7,
  kTypeLongLong = 8,
  kTypeInt24 = 9,
  kTypeDate = 10,
  kTypeTime = 11,
  kTypeDateTime = 12,
  kTypeYear = 13,
  kTypeVarchar = 15,
  kTypeBit = 16,
  kTypeNewDecimal = 246,
  kTypeEnum = 247,
  kTypeSet = 248,
  kTypeTinyBlob = 249,
  kTypeMediumBlob = 250,
  kTypeLongBlob = 251,
  kTypeBlob = 252,
  kTypeVarString = 253,
  kTypeString = 254,
};

// Column definition flags.
enum ColumnFlag : uint16_t {
  kNotNullFlag = 1,
  kPriKeyFlag = 2,
  kUniqueKeyFlag = 4,
  kMultipleKeyFlag = 8,
  kBlobFlag = 16,
  kUnsignedFlag = 32,
  kZerofillFlag = 64,
  kBinaryFlag = 128,
  kEnumFlag = 256,
  kAutoIncrementFlag = 512,
  kTimestampFlag = 1024,
  kSetFlag = 2048,
  kNoDefaultValueFlag = 4096,
  kOnUpdateNowFlag = 8192,
  kNumFlag = 32768,
};

// Server status flags (OK / EOF packets).
enum ServerStatus : uint16_t {
  kStatusInTrans = 0x0001,
  kStatusAutocommit = 0x0002,
  kStatusMoreResultsExist = 0x0008,
  kStatusNoGoodIndexUsed = 0x0010,
  kStatusNoIndexUsed = 0x0020,
  kStatusCursorExists = 0x0040,
  kStatusLastRowSent = 0x0080,
  kStatusDbDropped = 0x0100,
  kStatusNoBackslashEscapes = 0x0200,
};

// Character set / collation ids.
enum Collation : uint16_t {
  kLatin1SwedishCi = 8,
  kUtf8GeneralCi = 33,
  kBinary = 63,
  kUtf8mb4GeneralCi = 45,
  kAsciiGeneralCi = 11,
};

// Capability flags.
enum Capability : uint32_t {
  kClientLongPassword = 1,
  kClientFoundRows = 2,
  kClientLongFlag = 4,
  kClientConnectWithDb = 8,
  kClientNoSchema = 16,
  kClientCompress = 32,
  kClientOdbc = 64,
  kClientLocalFiles = 128,
  kClientIgnoreSpace = 256,
  kClientProtocol41 = 512,
  kClientInteractive = 1024,
  kClientSsl = 2048,
  kClientIgnoreSigpipe = 4096,
  kClientTransactions = 8192,
  kClientReserved = 16384,
  kClientSecureConnection = 32768,
  kClientMultiStatements = 1u << 16,
  kClientMultiResults = 1u << 17,
  kClientPsMultiResults = 1u << 18,
  kClientPluginAuth = 1u << 19,
  kClientConnectAttrs = 1u << 20,
  kClientPluginAuthLenencClientData = 1u << 21,
  kClientCanHandleExpiredPasswords = 1u << 22,
  kClientSessionTrack = 1u << 23,
  kClientDeprecateEof = 1u << 24,
};

// Command bytes.
enum Command : uint8_t {
  kComSleep = 0x00,
  kComQuit = 0x01,
  kComInitDb = 0x02,
  kComQuery = 0x03,
  kComFieldList = 0x04,
  kComCreateDb = 0x05,
  kComDropDb = 0x06,
  kComRefresh = 0x07,
  kComShutdown = 0x08,
  kComStatistics = 0x09,
  kComProcessInfo = 0x0a,
  kComConnect = 0x0b,
  kComProcessKill = 0x0c,
  kComDebug = 0x0d,
  kComPing = 0x0e,
  kComTime = 0x0f,
  kComDelayedInsert = 0x10,
  kComChangeUser = 0x11,
  kComBinlogDump = 0x12,
  kComTableDump = 0x13,
  kComConnectOut = 0x14,
  kComRegisterSlave = 0x15,
  kComStmtPrepare = 0x16,
  kComStmtExecute = 0x17,
  kComStmtSendLongData = 0x18,
  kComStmtClose = 0x19,
  kComStmtReset = 0x1a,
  kComSetOption = 0x1b,
  kComStmtFetch = 0x1c,
  kComDaemon = 0x1d,
  kComBinlogDumpGtid = 0x1e,
  kComResetConnection = 0x1f,
};

// The version string: replicas and binlog readers treat it as MySQL >= 5.6.1.
inline constexpr const char* kServerVersion = "5.7.99-reptut-log";

}  // namespace reptut::mysql
