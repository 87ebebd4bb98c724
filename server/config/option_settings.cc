#include "config/option_settings.h"

#include <utility>

#include "common/errors.h"
#include "config/option_file.h"
#include "config/option_table.h"
#include "config/option_values.h"

namespace reptut::config {
namespace {

Error OptionError(std::string message) {
  return MakeErrorMsg(ER_UNKNOWN_ERROR, std::move(message));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

enum class Prefix { kNone, kSkip, kDisable, kEnable };

// What an option name stands for.
struct Lookup {
  const OptionSpec* spec = nullptr;
  std::string name;  // canonical name of the option found
  Prefix prefix = Prefix::kNone;
  bool by_prefix = false;           // found as a unique prefix of its name
  std::vector<std::string> others;  // ambiguous: the names the prefix matches
};

Lookup Find(const std::string& name, Prefix prefix) {
  Lookup l;
  l.prefix = prefix;
  if ((l.spec = FindOption(name)) != nullptr) {
    l.name = name;
    return l;
  }
  if (name.empty()) return l;
  std::vector<const OptionSpec*> matches = FindOptionsByPrefix(name);
  if (matches.size() == 1) {
    l.spec = matches[0];
    l.name = std::string(matches[0]->name);
    l.by_prefix = true;
  } else {
    // mysqld names the first two candidates.
    for (size_t i = 0; i < matches.size() && i < 2; ++i) l.others.emplace_back(matches[i]->name);
  }
  return l;
}

// The option for a canonical name: itself, else without a skip-/disable-/
// enable- prefix, each also as a unique prefix of a name.
Lookup Resolve(const std::string& name) {
  Lookup l = Find(name, Prefix::kNone);
  if (l.spec != nullptr) return l;
  static constexpr std::pair<std::string_view, Prefix> kPrefixes[] = {
      {"skip_", Prefix::kSkip}, {"disable_", Prefix::kDisable}, {"enable_", Prefix::kEnable}};
  for (const auto& [p, kind] : kPrefixes) {
    if (!StartsWith(name, p)) continue;
    Lookup stripped = Find(name.substr(p.size()), kind);
    if (stripped.spec != nullptr || !stripped.others.empty()) return stripped;
  }
  return l;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string ParseBool(const std::string& value, const std::string& name, const Source& src,
                      std::vector<std::string>* warnings) {
  std::optional<bool> b = ParseBoolValue(value);
  if (!b) {
    warnings->push_back("option '" + name + "': boolean value '" + value +
                        "' wasn't recognized. Set to OFF." + src.where);
    return "OFF";
  }
  return *b ? "ON" : "OFF";
}

// An option that needs a value, given one.
Status SetValue(const OptionSpec& spec, const std::string& name, const std::string& value,
                const Source& src, Setting* s, std::vector<std::string>* warnings) {
  s->disabled = false;
  s->has_value = true;
  switch (spec.type) {
    case OptionType::kUInt: {
      std::string warning;
      Result<uint64_t> n = ParseUnsignedOption(value, spec, name, &warning);
      if (!n.ok()) return OptionError(n.error().message + src.where);
      if (!warning.empty()) warnings->push_back(warning + src.where);
      s->value = std::to_string(*n);
      return Status::Ok();
    }
    case OptionType::kDecimal:
      if (!IsDecimal(value)) {
        return OptionError("Invalid decimal value for option '" + name + "'" + src.where);
      }
      s->value = value;
      return Status::Ok();
    case OptionType::kEnum: {
      std::optional<std::string> choice = MatchChoice(value, spec.choices);
      if (!choice) {
        return OptionError("Error while setting value '" + value + "' to '" + name + "'" +
                           src.where);
      }
      s->value = *choice;
      return Status::Ok();
    }
    default:
      if (spec.repeatable) s->list.push_back(value);
      s->value = value;
      return Status::Ok();
  }
}

}  // namespace

Status OptionSettings::Long(std::string_view written, std::optional<std::string> value,
                            std::string_view text, const Source& src, const NextArgument& next) {
  std::string name = CanonicalOptionName(written);
  bool loose = false;
  if (StartsWith(name, "loose_")) {
    loose = true;
    name = name.substr(6);
  }
  Lookup l = Resolve(name);
  if (l.spec != nullptr && l.prefix == Prefix::kEnable && l.spec->type != OptionType::kBool &&
      l.spec->type != OptionType::kOptString && l.spec->type != OptionType::kAny) {
    l.spec = nullptr;
  }
  if (l.spec == nullptr) {
    std::string msg;
    if (!l.others.empty()) {
      msg = "ambiguous option '--" + std::string(text) + "' (" + Join(l.others) + ")";
    } else if (value) {
      msg = "unknown variable '" + std::string(text) + "'";
    } else {
      msg = "unknown option '--" + std::string(text) + "'";
    }
    if (loose || src.lenient) {
      warnings_->push_back(msg + src.where);
      return Status::Ok();
    }
    return OptionError(msg + src.where);
  }
  if (l.by_prefix) {
    std::string used = CanonicalOptionName(written);
    if (loose) used = used.substr(6);
    if (l.prefix != Prefix::kNone) used = used.substr(used.find('_') + 1);
    warnings_->push_back("Using unique option prefix '" + used +
                         "' is error-prone and can break in the future. Please use the full "
                         "name '" +
                         l.name + "' instead." + src.where);
  }

  const OptionSpec& spec = *l.spec;
  Setting& s = settings_[l.name];
  s.origin = src.origin;
  if (l.prefix != Prefix::kNone) {
    if (value) {
      return OptionError("option '--" + std::string(written) + "' cannot take an argument" +
                         src.where);
    }
    bool on = l.prefix == Prefix::kEnable;
    if (spec.type == OptionType::kBool || spec.type == OptionType::kNoArg) {
      s.value = on ? "ON" : "OFF";
    } else {
      s.value.clear();
      s.has_value = false;
      s.disabled = !on;
      s.list.clear();
    }
    return Status::Ok();
  }

  switch (spec.type) {
    case OptionType::kBool:
      s.value = value ? ParseBool(*value, l.name, src, warnings_) : "ON";
      return Status::Ok();
    case OptionType::kNoArg:
      if (value) {
        return OptionError("option '--" + std::string(written) + "' cannot take an argument" +
                           src.where);
      }
      s.value = "ON";
      return Status::Ok();
    case OptionType::kOptString:
    case OptionType::kAny:
      s.disabled = false;
      s.has_value = value.has_value();
      // An unchecked option named alone is most likely a boolean turned on.
      s.value = value.value_or(spec.type == OptionType::kAny ? "ON" : "");
      return Status::Ok();
    default:
      break;
  }
  if (!value && next) value = next();
  if (!value) {
    return OptionError("option '--" + std::string(written) + "' requires an argument" + src.where);
  }
  return SetValue(spec, l.name, *value, src, &s, warnings_);
}

Status OptionSettings::Short(const std::string& arg, const NextArgument& next) {
  const Source src = Source::CommandLine();
  for (size_t i = 1; i < arg.size(); ++i) {
    char c = arg[i];
    const OptionSpec* spec = FindShortOption(c);
    if (spec == nullptr) return OptionError(std::string("unknown option '-") + c + "'");
    std::string name(spec->name);
    Setting& s = settings_[name];
    s.origin = src.origin;
    switch (spec->type) {
      case OptionType::kBool:
      case OptionType::kNoArg:
        s.value = "ON";
        continue;
      case OptionType::kOptString:
      case OptionType::kAny:
        s.has_value = i + 1 < arg.size();
        s.value = arg.substr(i + 1);
        s.disabled = false;
        return Status::Ok();
      default: {
        std::optional<std::string> value;
        if (i + 1 < arg.size()) {
          value = arg.substr(i + 1);
        } else if (next) {
          value = next();
        }
        if (!value) return OptionError(std::string("option '-") + c + "' requires an argument");
        return SetValue(*spec, name, *value, src, &s, warnings_);
      }
    }
  }
  return Status::Ok();
}

}  // namespace reptut::config
