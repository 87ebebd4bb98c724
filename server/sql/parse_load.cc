// LOAD DATA [LOCAL] INFILE and the INTO OUTFILE / DUMPFILE clause of SELECT.
#include "common/sql_text.h"
#include "sql/parser_internal.h"

namespace reptut::sql::internal {

namespace {

// [{FIELDS|COLUMNS} [TERMINATED BY 's'] [[OPTIONALLY] ENCLOSED BY 'c']
// [ESCAPED BY 'c']] [LINES [STARTING BY 's'] [TERMINATED BY 's']]
void ParseFormat(Parser& p, FileFormat& f) {
  if (p.Cur().Is("FIELDS") || p.Cur().Is("COLUMNS")) {
    p.Advance();
    f.fields_written = true;
    bool any = false;
    while (true) {
      if (p.AcceptSeq({"TERMINATED", "BY"})) {
        f.fields_terminated = p.StringLit();
      } else if (p.Cur().Is("OPTIONALLY") || p.Cur().Is("ENCLOSED")) {
        f.optionally_enclosed = p.Accept("OPTIONALLY");
        p.Expect("ENCLOSED");
        p.Expect("BY");
        f.enclosed = p.StringLit();
        if (f.enclosed.size() > 1) p.Raise(MakeError(ER_WRONG_FIELD_TERMINATORS));
      } else if (p.AcceptSeq({"ESCAPED", "BY"})) {
        f.escaped = p.StringLit();
        if (f.escaped.size() > 1) p.Raise(MakeError(ER_WRONG_FIELD_TERMINATORS));
      } else {
        break;
      }
      any = true;
    }
    if (!any) p.Fail();
  }
  if (p.Cur().Is("LINES")) {
    p.Advance();
    f.lines_written = true;
    bool any = false;
    while (true) {
      if (p.AcceptSeq({"STARTING", "BY"})) {
        f.lines_starting = p.StringLit();
      } else if (p.AcceptSeq({"TERMINATED", "BY"})) {
        f.lines_terminated = p.StringLit();
      } else {
        break;
      }
      any = true;
    }
    if (!any) p.Fail();
  }
}

void ParseCharsetClause(Parser& p, std::string* out) {
  if (p.AcceptSeq({"CHARACTER", "SET"}) || p.Accept("CHARSET")) p.ParseCharsetName(out);
}

}  // namespace

// After INTO, at OUTFILE / DUMPFILE.
void ParseIntoFile(Parser& p, IntoFileInfo& info) {
  if (p.Accept("DUMPFILE")) {
    info.dumpfile = true;
    info.file = p.StringLit();
    return;
  }
  p.Expect("OUTFILE");
  info.file = p.StringLit();
  ParseCharsetClause(p, &info.charset);
  ParseFormat(p, info.format);
}

void ParseLoadData(Parser& p, Statement& st) {
  p.Expect("LOAD");
  if (p.Cur().Is("XML")) p.Unsupported("LOAD XML");
  p.Expect("DATA");
  LoadDataInfo& l = st.load;
  st.kind = StatementKind::kLoadData;
  l.after_load = p.PrevEnd();
  if (p.Accept("LOW_PRIORITY")) {
    l.low_priority = true;
  } else if (p.Accept("CONCURRENT")) {
    l.concurrent = true;
  }
  if (p.Accept("LOCAL")) l.local = true;
  p.Expect("INFILE");
  l.file = p.StringLit();
  if (p.Accept("REPLACE")) {
    l.dup = LoadDataInfo::Dup::kReplace;
  } else if (p.Accept("IGNORE")) {
    l.dup = LoadDataInfo::Dup::kIgnore;
  }
  p.Expect("INTO");
  l.into_end = p.PrevEnd();
  p.Expect("TABLE");
  l.table = p.ParseTableName();
  if (p.Accept("PARTITION")) p.SkipParenthesized();
  ParseCharsetClause(p, &l.charset);
  ParseFormat(p, l.format);
  if (p.Cur().Is("IGNORE") && p.Peek(1).kind == TokenKind::kInteger) {
    p.Advance();
    l.ignore_lines = p.UInt();
    if (!p.Accept("LINES")) p.Expect("ROWS");
  }
  if (p.AcceptOp("(")) {
    if (!p.AcceptOp(")")) {
      while (true) {
        LoadDataInfo::Target t;
        if (p.Cur().kind == TokenKind::kUserVar) {
          t.user_var = true;
          t.name = ToLower(p.Advance().text);
        } else {
          t.name = p.Ident();
          if (p.AcceptOp(".")) t.name = p.Ident();  // t.col
        }
        l.targets.push_back(std::move(t));
        if (!p.AcceptOp(",")) break;
      }
      p.ExpectOp(")");
    }
  }
  if (p.Accept("SET")) {
    DmlInfo scratch;
    DmlInfo* saved = p.info();
    p.set_info(&scratch);
    while (true) {
      LoadDataInfo::Assignment a;
      a.column = p.Ident();
      if (p.AcceptOp(".")) a.column = p.Ident();
      if (!p.AcceptOp("=")) p.ExpectOp(":=");
      Expr e = p.ParseExpr();
      a.expr_text = p.SourceText(e.begin, e.end);
      l.assignments.push_back(std::move(a));
      if (!p.AcceptOp(",")) break;
    }
    p.set_info(saved);
  }
  p.ExpectEnd();
}

}  // namespace reptut::sql::internal
