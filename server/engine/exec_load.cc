// LOAD DATA [LOCAL] INFILE and SELECT ... INTO OUTFILE / DUMPFILE.
#include "common/errors.h"
#include "engine/exec.h"

namespace reptut::engine {

void ExecLoadData(Exec& x, const sql::Statement&) {
  x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"LOAD DATA"}));
}

void SelectIntoFile(Exec& x, const sql::DmlInfo&, storage::SqliteStmt&, int) {
  x.Fail(MakeError(ER_NOT_SUPPORTED_YET, {"SELECT ... INTO OUTFILE"}));
}

}  // namespace reptut::engine
