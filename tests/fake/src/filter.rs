//! SCIM filter expressions: a tokenizer and parser for the subset Genesys
//! Cloud supports (`eq`, `and`, parentheses and `attr[...]` value filters),
//! plus the compiled predicates used by the list endpoints.

use std::iter::Peekable;
use std::str::Chars;

use serde_json::Value;

use crate::schema::{ENTERPRISE_URN, GENESYS_URN, GROUP_URN, USER_URN};
use crate::text::strip_prefix_ci;

/// A literal on the right-hand side of `eq`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Literal {
    Str(String),
    Bool(bool),
    Null,
}

impl Literal {
    fn as_text(&self) -> Option<String> {
        match self {
            Literal::Str(s) => Some(s.clone()),
            Literal::Bool(b) => Some(b.to_string()),
            Literal::Null => None,
        }
    }
}

/// A parsed filter expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Filter {
    And(Vec<Filter>),
    Eq(String, Literal),
    /// `attr[inner]`: some element of the multi-valued `attr` matches `inner`.
    Complex(String, Box<Filter>),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    LBracket,
    RBracket,
    LParen,
    RParen,
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '[' | ']' | '(' | ')' => {
                chars.next();
                toks.push(match c {
                    '[' => Tok::LBracket,
                    ']' => Tok::RBracket,
                    '(' => Tok::LParen,
                    _ => Tok::RParen,
                });
            }
            '"' => {
                chars.next();
                toks.push(Tok::Str(string_literal(&mut chars)?));
            }
            _ => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')' | '"') {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                toks.push(Tok::Word(w));
            }
        }
    }
    Ok(toks)
}

/// The rest of a quoted string, decoded by JSON string rules (RFC 7644
/// §3.4.2.2 defines filter strings as JSON strings).
fn string_literal(chars: &mut Peekable<Chars<'_>>) -> Result<String, String> {
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Ok(out),
            '\\' => out.push(escape(chars)?),
            c => out.push(c),
        }
    }
    Err("unterminated string literal".into())
}

/// One escape sequence after its backslash.
fn escape(chars: &mut Peekable<Chars<'_>>) -> Result<char, String> {
    Ok(match chars.next() {
        Some('"') => '"',
        Some('\\') => '\\',
        Some('/') => '/',
        Some('b') => '\u{8}',
        Some('f') => '\u{c}',
        Some('n') => '\n',
        Some('r') => '\r',
        Some('t') => '\t',
        Some('u') => {
            let high = hex4(chars)?;
            let code = if (0xD800..0xDC00).contains(&high) {
                let low = match (chars.next(), chars.next()) {
                    (Some('\\'), Some('u')) => hex4(chars)?,
                    _ => return Err("a lone surrogate in a \\u escape".into()),
                };
                if !(0xDC00..0xE000).contains(&low) {
                    return Err("a lone surrogate in a \\u escape".into());
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            } else {
                high
            };
            char::from_u32(code).ok_or("a lone surrogate in a \\u escape")?
        }
        Some(other) => return Err(format!("unknown escape '\\{other}' in a string")),
        None => return Err("unterminated escape in string".into()),
    })
}

fn hex4(chars: &mut Peekable<Chars<'_>>) -> Result<u32, String> {
    let digits: String = chars.take(4).collect();
    // from_str_radix alone would take a sign: `\u+041` is no escape.
    match u32::from_str_radix(&digits, 16) {
        Ok(n) if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_hexdigit()) => Ok(n),
        _ => Err(format!("'\\u{digits}' is not a valid escape")),
    }
}

/// Deepest nesting of parentheses and brackets accepted; the parser
/// recurses once per level, so this bounds its stack.
const MAX_DEPTH: usize = 32;
/// Longest filter accepted, in bytes.
pub(crate) const MAX_LEN: usize = 4096;

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn parse_and(&mut self) -> Result<Filter, String> {
        let mut terms = vec![self.parse_term()?];
        while self.peek_word("and") {
            self.next();
            terms.push(self.parse_term()?);
        }
        if self.peek_word("or") {
            return Err("the 'or' operator is not supported".into());
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Filter::And(terms)
        })
    }

    fn nested(&mut self) -> Result<Filter, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("filters nest at most {MAX_DEPTH} levels deep"));
        }
        let inner = self.parse_and();
        self.depth -= 1;
        inner
    }

    fn parse_term(&mut self) -> Result<Filter, String> {
        match self.next() {
            Some(Tok::LParen) => {
                let inner = self.nested()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(inner),
                    _ => Err("missing closing parenthesis".into()),
                }
            }
            // `not` is the operator only before a parenthesis (RFC 7644
            // §3.4.2.2); elsewhere it is an attribute name like any other.
            Some(Tok::Word(w))
                if w.eq_ignore_ascii_case("not") && self.peek() == Some(&Tok::LParen) =>
            {
                Err("the 'not' operator is not supported".into())
            }
            Some(Tok::Word(attr)) => {
                if matches!(self.peek(), Some(Tok::LBracket)) {
                    self.next();
                    let inner = self.nested()?;
                    return match self.next() {
                        Some(Tok::RBracket) => Ok(Filter::Complex(attr, Box::new(inner))),
                        _ => Err("missing closing bracket".into()),
                    };
                }
                let op = match self.next() {
                    Some(Tok::Word(op)) => op,
                    _ => return Err(format!("expected an operator after '{attr}'")),
                };
                if !op.eq_ignore_ascii_case("eq") {
                    let known = ["ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"];
                    return Err(if known.iter().any(|k| k.eq_ignore_ascii_case(&op)) {
                        format!("the '{op}' operator is not supported; only 'eq' is")
                    } else {
                        format!("unknown operator '{op}'")
                    });
                }
                let value = match self.next() {
                    Some(Tok::Str(s)) => Literal::Str(s),
                    Some(Tok::Word(w)) if w.eq_ignore_ascii_case("true") => Literal::Bool(true),
                    Some(Tok::Word(w)) if w.eq_ignore_ascii_case("false") => Literal::Bool(false),
                    Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") => Literal::Null,
                    Some(Tok::Word(w)) => Literal::Str(w),
                    _ => return Err(format!("expected a value after '{attr} {op}'")),
                };
                Ok(Filter::Eq(attr, value))
            }
            Some(t) => Err(format!("unexpected token {t:?}")),
            None => Err("unexpected end of filter".into()),
        }
    }
}

/// Parses a filter expression.
pub(crate) fn parse(s: &str) -> Result<Filter, String> {
    if s.len() > MAX_LEN {
        return Err(format!("filters are at most {MAX_LEN} bytes long"));
    }
    let toks = tokenize(s)?;
    if toks.is_empty() {
        return Err("empty filter".into());
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let f = p.parse_and()?;
    if p.pos < p.toks.len() {
        return Err(format!("unexpected trailing input at token {}", p.pos + 1));
    }
    Ok(f)
}

/// Matches a filter against one element of a multi-valued attribute (used by
/// PATCH value paths such as `emails[type eq "work"]`). Strings compare
/// ignoring case.
pub(crate) fn matches_element(f: &Filter, elem: &Value) -> bool {
    match f {
        Filter::And(v) => v.iter().all(|f| matches_element(f, elem)),
        Filter::Eq(attr, lit) => {
            let got = elem.as_object().and_then(|m| {
                m.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(attr))
                    .map(|(_, v)| v)
            });
            match (got, lit) {
                (None | Some(Value::Null), Literal::Null) => true,
                (Some(Value::String(s)), Literal::Str(l)) => s.eq_ignore_ascii_case(l),
                (Some(Value::Bool(b)), Literal::Bool(l)) => b == l,
                (Some(Value::Bool(b)), Literal::Str(l)) => b.to_string().eq_ignore_ascii_case(l),
                (Some(Value::Number(n)), Literal::Str(l)) => n.to_string() == *l,
                _ => false,
            }
        }
        Filter::Complex(..) => false,
    }
}

/// The `attr eq value` pairs of a filter made only of `eq` and `and`; used to
/// build a new element when a PATCH `add` finds no match.
pub(crate) fn eq_pairs(f: &Filter) -> Vec<(String, Value)> {
    match f {
        Filter::And(v) => v.iter().flat_map(eq_pairs).collect(),
        Filter::Eq(a, Literal::Str(s)) => vec![(a.clone(), Value::String(s.clone()))],
        Filter::Eq(a, Literal::Bool(b)) => vec![(a.clone(), Value::Bool(*b))],
        _ => Vec::new(),
    }
}

/// A compiled user or group predicate.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Pred {
    All(Vec<Pred>),
    Id(String),
    UserName(String),
    ExternalId(String),
    Active(bool),
    Manager(String),
    Email(String),
    Division(String),
    EmployeeNumber(String),
    ExternalIds {
        authority: Option<String>,
        value: Option<String>,
    },
    DisplayName(String),
}

impl Pred {
    /// The `active` value users must have to match: the first `active`
    /// condition, or `true` when there is none (Genesys lists only active
    /// users then). A contradiction (`active eq true and active eq false`)
    /// still answers; checking the whole predicate matches nobody.
    pub(crate) fn required_active(&self) -> bool {
        fn first(p: &Pred) -> Option<bool> {
            match p {
                Pred::All(v) => v.iter().find_map(first),
                Pred::Active(b) => Some(*b),
                _ => None,
            }
        }
        first(self).unwrap_or(true)
    }

    /// Whether the predicate says nothing beyond `active` = `active`, so
    /// that every user of that state matches.
    pub(crate) fn only_active(&self, active: bool) -> bool {
        match self {
            Pred::All(v) => v.iter().all(|p| p.only_active(active)),
            Pred::Active(b) => active == *b,
            _ => false,
        }
    }
}

fn text(attr: &str, lit: &Literal) -> Result<String, String> {
    lit.as_text()
        .ok_or_else(|| format!("comparing '{attr}' with null is not supported"))
}

/// Compiles a filter for the user list; unsupported attributes are errors.
pub(crate) fn compile_user(f: &Filter) -> Result<Pred, String> {
    match f {
        Filter::And(v) => Ok(Pred::All(
            v.iter().map(compile_user).collect::<Result<_, _>>()?,
        )),
        Filter::Eq(attr, lit) => {
            let name = strip_prefix_ci(attr, &format!("{USER_URN}:"))
                .or_else(|| strip_prefix_ci(attr, &format!("{ENTERPRISE_URN}:")))
                .unwrap_or(attr);
            let s = || text(attr, lit);
            Ok(match name.to_ascii_lowercase().as_str() {
                "id" => Pred::Id(s()?),
                "username" => Pred::UserName(s()?),
                "externalid" => Pred::ExternalId(s()?),
                "active" => match lit {
                    Literal::Bool(b) => Pred::Active(*b),
                    Literal::Str(x) if x.eq_ignore_ascii_case("true") => Pred::Active(true),
                    Literal::Str(x) if x.eq_ignore_ascii_case("false") => Pred::Active(false),
                    _ => return Err("'active' must be compared with true or false".into()),
                },
                "manager" | "manager.value" => Pred::Manager(s()?),
                "email" | "emails" | "emails.value" => Pred::Email(s()?),
                "division" => Pred::Division(s()?),
                "employeenumber" => Pred::EmployeeNumber(s()?),
                _ => return Err(format!("filtering users on '{attr}' is not supported")),
            })
        }
        Filter::Complex(attr, inner) => {
            let name = strip_prefix_ci(attr, &format!("{GENESYS_URN}:")).unwrap_or(attr);
            if !name.eq_ignore_ascii_case("externalIds") {
                return Err(format!("value filters on '{attr}' are not supported"));
            }
            let mut authority = None;
            let mut value = None;
            let terms = match inner.as_ref() {
                Filter::And(v) => v.clone(),
                other => vec![other.clone()],
            };
            for t in terms {
                match t {
                    Filter::Eq(a, lit) if a.eq_ignore_ascii_case("authority") => {
                        authority = Some(text(&a, &lit)?)
                    }
                    Filter::Eq(a, lit) if a.eq_ignore_ascii_case("value") => {
                        value = Some(text(&a, &lit)?)
                    }
                    _ => {
                        return Err(
                            "externalIds[...] accepts only 'authority eq' and 'value eq'".into(),
                        );
                    }
                }
            }
            Ok(Pred::ExternalIds { authority, value })
        }
    }
}

/// Compiles a filter for the group list.
pub(crate) fn compile_group(f: &Filter) -> Result<Pred, String> {
    match f {
        Filter::And(v) => Ok(Pred::All(
            v.iter().map(compile_group).collect::<Result<_, _>>()?,
        )),
        Filter::Eq(attr, lit) => {
            let name = strip_prefix_ci(attr, &format!("{GROUP_URN}:")).unwrap_or(attr);
            match name.to_ascii_lowercase().as_str() {
                "id" => Ok(Pred::Id(text(attr, lit)?)),
                "displayname" => Ok(Pred::DisplayName(text(attr, lit)?)),
                _ => Err(format!("filtering groups on '{attr}' is not supported")),
            }
        }
        Filter::Complex(attr, _) => Err(format!("value filters on '{attr}' are not supported")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_with_quotes() {
        let f = parse(r#"userName eq "a\"b" and active eq false"#).ok();
        assert_eq!(
            f,
            Some(Filter::And(vec![
                Filter::Eq("userName".into(), Literal::Str("a\"b".into())),
                Filter::Eq("active".into(), Literal::Bool(false)),
            ]))
        );
    }

    #[test]
    fn parses_value_filter() {
        let f = parse(r#"externalIds[authority eq "hr" and value eq "7"]"#);
        let p = f.as_ref().ok().map(compile_user);
        assert_eq!(
            p,
            Some(Ok(Pred::ExternalIds {
                authority: Some("hr".into()),
                value: Some("7".into())
            }))
        );
    }

    #[test]
    fn strings_decode_json_escapes() {
        let f = parse(r#"userName eq "new\nline\t\u0041\/\ud83d\ude00""#);
        assert_eq!(
            f,
            Ok(Filter::Eq(
                "userName".into(),
                Literal::Str("new\nline\tA/\u{1F600}".into())
            ))
        );
        assert!(parse(r#"userName eq "\q""#).is_err());
        assert!(parse(r#"userName eq "\u00""#).is_err());
        assert!(parse(r#"userName eq "\ud83d""#).is_err());
        assert!(parse(r#"userName eq "\u+041""#).is_err());
    }

    #[test]
    fn deep_nesting_and_long_filters_are_refused() {
        let deep = format!("{}userName eq x{}", "(".repeat(700), ")".repeat(700));
        assert!(parse(&deep).is_err_and(|e| e.contains("nest")));
        let ok = format!("{}userName eq x{}", "(".repeat(32), ")".repeat(32));
        assert!(parse(&ok).is_ok());
        let brackets = format!("{}value eq x{}", "a[".repeat(40), "]".repeat(40));
        assert!(parse(&brackets).is_err_and(|e| e.contains("nest")));
        let long = format!("userName eq \"{}\"", "x".repeat(MAX_LEN));
        assert!(parse(&long).is_err_and(|e| e.contains("bytes")));
    }

    #[test]
    fn an_attribute_named_not_is_not_the_not_operator() {
        // Found by the filter_build fuzz target: `Filter::eq("not", true)`.
        assert_eq!(
            parse("not eq true and x eq y"),
            Ok(Filter::And(vec![
                Filter::Eq("not".into(), Literal::Bool(true)),
                Filter::Eq("x".into(), Literal::Str("y".into())),
            ]))
        );
        assert!(parse("not (userName eq x)").is_err_and(|e| e.contains("'not'")));
    }

    #[test]
    fn rejects_unsupported() {
        assert!(parse("userName co x").is_err());
        assert!(parse("a eq 1 or b eq 2").is_err());
        assert!(parse("userName eq \"x").is_err());
        assert!(parse("userName eq").is_err());
        assert!(parse("(userName eq x").is_err());
        assert!(parse("a eq b c").is_err());
        assert!(parse("title eq x").ok().map(|f| compile_user(&f).is_err()) == Some(true));
    }
}
