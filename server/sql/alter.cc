// Index bookkeeping for CREATE TABLE and ALTER TABLE, and ApplyAlter.
#include <algorithm>

#include "common/errors.h"
#include "sql/lexer.h"
#include "sql/statement.h"
#include "sql/table_ops.h"

namespace reptut::sql {

namespace internal {

namespace {

bool HasNullPart(const TableDef& def, const IndexDef& idx) {
  for (const auto& p : idx.parts) {
    int c = def.FindColumn(p.column);
    if (c >= 0 && !def.columns[static_cast<size_t>(c)].not_null) return true;
  }
  return false;
}

bool HasPrefixPart(const IndexDef& idx) {
  for (const auto& p : idx.parts)
    if (p.prefix_length) return true;
  return false;
}

}  // namespace

void SortIndexes(TableDef& def) {
  auto rank = [&](const IndexDef& a) {
    // Lower sorts first.
    if (a.kind == IndexDef::Kind::kPrimary) return 0;
    if (a.kind == IndexDef::Kind::kUnique) {
      int r = 1;
      if (HasNullPart(def, a)) r += 2;
      if (HasPrefixPart(a)) r += 1;
      return r;
    }
    if (a.kind == IndexDef::Kind::kFulltext) return 6;
    return 5;
  };
  std::stable_sort(def.indexes.begin(), def.indexes.end(),
                   [&](const IndexDef& a, const IndexDef& b) { return rank(a) < rank(b); });
}

Status AddIndexTo(TableDef& def, IndexDef index) {
  if (index.parts.empty()) return MakeError(ER_PARSE_ERROR, {"", 1});
  if (index.kind == IndexDef::Kind::kPrimary) {
    for (const auto& i : def.indexes)
      if (i.kind == IndexDef::Kind::kPrimary) return MakeError(ER_MULTIPLE_PRI_KEY);
    index.name = "PRIMARY";
  } else if (index.name.empty()) {
    std::string base = index.parts[0].column;
    std::string name = base;
    int n = 2;
    while (def.FindIndex(name) >= 0 || EqualsIgnoreCase(name, "PRIMARY")) {
      name = base + "_" + std::to_string(n++);
    }
    index.name = name;
  } else {
    if (EqualsIgnoreCase(index.name, "PRIMARY")) {
      return MakeErrorMsg(1280, "Incorrect index name '" + index.name + "'");
    }
    if (def.FindIndex(index.name) >= 0) return MakeError(ER_DUP_KEYNAME, {index.name});
  }
  def.indexes.push_back(std::move(index));
  return Status::Ok();
}

Status FinishTable(TableDef& def) {
  for (auto& idx : def.indexes) {
    for (auto& p : idx.parts) {
      int c = def.FindColumn(p.column);
      if (c < 0) {
        return MakeErrorMsg(1072, "Key column '" + p.column + "' doesn't exist in table");
      }
      p.column = def.columns[static_cast<size_t>(c)].name;
      if (idx.kind == IndexDef::Kind::kPrimary) def.columns[static_cast<size_t>(c)].not_null = true;
    }
  }
  int autos = 0;
  for (const auto& c : def.columns) {
    if (!c.auto_increment) continue;
    ++autos;
    bool keyed = false;
    for (const auto& idx : def.indexes)
      if (!idx.parts.empty() && EqualsIgnoreCase(idx.parts[0].column, c.name)) keyed = true;
    if (!keyed) return MakeError(ER_WRONG_AUTO_KEY);
  }
  if (autos > 1) return MakeError(ER_WRONG_AUTO_KEY);
  for (auto& c : def.columns) {
    if (c.collation == "_bin") {
      std::string cs = !c.charset.empty()     ? c.charset
                       : !def.charset.empty() ? def.charset
                                              : "latin1";
      c.collation = cs + "_bin";
    }
    if (!c.collation.empty() && c.charset.empty()) {
      std::string cs = CharsetOfCollation(c.collation);
      std::string table_cs = def.charset.empty() ? "latin1" : def.charset;
      if (!cs.empty() && cs != table_cs) c.charset = cs;
    }
  }
  NormalizeTableDef(def);
  SortIndexes(def);
  return Status::Ok();
}

}  // namespace internal

void NormalizeTableDef(TableDef& def) {
  if (!def.collation.empty()) {
    if (def.charset.empty()) def.charset = CharsetOfCollation(def.collation);
    if (def.collation == DefaultCollationFor(def.charset)) def.collation.clear();
  }
  if (def.charset.empty()) return;  // not known yet: keep columns as written
  for (auto& c : def.columns) {
    bool text = c.type == "char" || c.type == "varchar" || c.type == "tinytext" ||
                c.type == "text" || c.type == "mediumtext" || c.type == "longtext" ||
                c.type == "enum" || c.type == "set";
    if (!text) {
      c.charset.clear();
      c.collation.clear();
      continue;
    }
    if (c.charset == def.charset) c.charset.clear();
    std::string cs = c.charset.empty() ? def.charset : c.charset;
    if (!c.collation.empty() && c.collation == DefaultCollationFor(cs)) c.collation.clear();
    // A column without its own charset/collation follows the table's
    // collation.
    if (c.charset.empty() && c.collation.empty() && !def.collation.empty()) {
      c.collation = def.collation;
    }
    if (c.charset.empty() && c.collation == def.collation && !def.collation.empty()) {
      // keep: printed as COLLATE by SHOW CREATE when not primary
    }
  }
}

Status ApplyAlter(TableDef& def, const AlterSpec& spec) {
  using internal::AddIndexTo;
  for (const auto& op : spec.ops) {
    switch (op.type) {
      case AlterOp::Type::kAddColumn: {
        if (def.FindColumn(op.column.name) >= 0) {
          return MakeError(ER_DUP_FIELDNAME, {op.column.name});
        }
        size_t pos = def.columns.size();
        if (op.first) {
          pos = 0;
        } else if (!op.after.empty()) {
          int a = def.FindColumn(op.after);
          if (a < 0) return MakeError(ER_BAD_FIELD_ERROR, {op.after, def.name});
          pos = static_cast<size_t>(a) + 1;
        }
        def.columns.insert(def.columns.begin() + static_cast<long>(pos), op.column);
        for (const auto& idx : op.column_indexes) REPTUT_RETURN_IF_ERROR(AddIndexTo(def, idx));
        break;
      }
      case AlterOp::Type::kDropColumn: {
        int c = def.FindColumn(op.name);
        if (c < 0) return MakeError(ER_CANT_DROP_FIELD_OR_KEY, {op.name});
        std::string name = def.columns[static_cast<size_t>(c)].name;
        def.columns.erase(def.columns.begin() + c);
        // Remove the column from indexes; drop indexes left empty.
        for (auto& idx : def.indexes) {
          idx.parts.erase(
              std::remove_if(idx.parts.begin(), idx.parts.end(),
                             [&](const IndexPart& p) { return EqualsIgnoreCase(p.column, name); }),
              idx.parts.end());
        }
        def.indexes.erase(std::remove_if(def.indexes.begin(), def.indexes.end(),
                                         [](const IndexDef& i) { return i.parts.empty(); }),
                          def.indexes.end());
        break;
      }
      case AlterOp::Type::kChangeColumn: {
        int c = def.FindColumn(op.name);
        if (c < 0) return MakeError(ER_BAD_FIELD_ERROR, {op.name, def.name});
        std::string old_name = def.columns[static_cast<size_t>(c)].name;
        if (!EqualsIgnoreCase(op.column.name, old_name) && def.FindColumn(op.column.name) >= 0) {
          return MakeError(ER_DUP_FIELDNAME, {op.column.name});
        }
        def.columns.erase(def.columns.begin() + c);
        size_t pos = static_cast<size_t>(c);
        if (op.first) {
          pos = 0;
        } else if (!op.after.empty()) {
          int a = def.FindColumn(op.after);
          if (a < 0) return MakeError(ER_BAD_FIELD_ERROR, {op.after, def.name});
          pos = static_cast<size_t>(a) + 1;
        }
        def.columns.insert(def.columns.begin() + static_cast<long>(pos), op.column);
        for (auto& idx : def.indexes)
          for (auto& p : idx.parts)
            if (EqualsIgnoreCase(p.column, old_name)) p.column = op.column.name;
        for (const auto& idx : op.column_indexes) REPTUT_RETURN_IF_ERROR(AddIndexTo(def, idx));
        break;
      }
      case AlterOp::Type::kAlterColumnDefault: {
        int c = def.FindColumn(op.name);
        if (c < 0) return MakeError(ER_BAD_FIELD_ERROR, {op.name, def.name});
        auto& col = def.columns[static_cast<size_t>(c)];
        col.default_kind = op.column.default_kind == ColumnDef::Default::kNull
                               ? ColumnDef::Default::kNone
                               : op.column.default_kind;
        col.default_value = op.column.default_value;
        col.default_fsp.reset();
        break;
      }
      case AlterOp::Type::kAddIndex:
        REPTUT_RETURN_IF_ERROR(AddIndexTo(def, op.index));
        break;
      case AlterOp::Type::kDropIndex: {
        int i = def.FindIndex(op.name);
        if (i < 0) return MakeError(ER_CANT_DROP_FIELD_OR_KEY, {op.name});
        def.indexes.erase(def.indexes.begin() + i);
        break;
      }
      case AlterOp::Type::kDropPrimaryKey: {
        int i = def.FindIndex("PRIMARY");
        if (i < 0) return MakeError(ER_CANT_DROP_FIELD_OR_KEY, {"PRIMARY"});
        def.indexes.erase(def.indexes.begin() + i);
        break;
      }
      case AlterOp::Type::kRenameTable:
        def.name = op.new_name.name;
        break;
      case AlterOp::Type::kRenameIndex: {
        int i = def.FindIndex(op.name);
        if (i < 0) {
          return MakeErrorMsg(1176,
                              "Key '" + op.name + "' doesn't exist in table '" + def.name + "'");
        }
        if (def.FindIndex(op.new_index_name) >= 0) {
          return MakeError(ER_DUP_KEYNAME, {op.new_index_name});
        }
        def.indexes[static_cast<size_t>(i)].name = op.new_index_name;
        break;
      }
      case AlterOp::Type::kTableOptions:
        if (op.set_engine) def.engine = op.options.engine;
        if (op.set_charset) {
          def.charset = op.options.charset;
          if (!op.set_collation) def.collation.clear();
        }
        if (op.set_collation) def.collation = op.options.collation;
        if (op.set_auto_increment) def.auto_increment = op.options.auto_increment;
        if (op.set_comment) def.comment = op.options.comment;
        if (op.set_row_format) def.row_format = op.options.row_format;
        break;
      case AlterOp::Type::kConvertCharset:
        def.charset = op.charset;
        def.collation = op.collation;
        for (auto& c : def.columns) {
          c.charset.clear();
          c.collation.clear();
        }
        break;
      case AlterOp::Type::kNoOp:
        break;
    }
  }
  return internal::FinishTable(def);
}

}  // namespace reptut::sql
