//! `scim_sdk::Filter` built from arbitrary attributes and values, read back
//! by the fake's filter parser.

use arbitrary::{Result, Unstructured};
use scim_fake::fuzzing::{Expr, MAX_FILTER_LEN, parse_filter};
use scim_sdk::Filter;
use serde_json::Value;

/// Attribute names worth trying besides arbitrary text: real ones, and the
/// words a filter parser treats specially.
const NAMES: &[&str] = &[
    "userName",
    "emails.value",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:division",
    "externalIds",
    "and",
    "or",
    "not",
    "eq",
    "true",
    "null",
    "pr",
];

/// Deepest nesting built; the fake refuses more than 32 levels.
const MAX_DEPTH: usize = 6;

/// Builds a filter from `data` with [`Filter::eq`], [`Filter::and`] and
/// [`Filter::value_path`], keeping track of the expression each call should
/// produce. A filter that builds must parse, in the fake, to exactly that
/// expression: no value, however hostile, changes its structure.
///
/// ```
/// scim_fuzz_checks::filter_build(b"\x00\x03x\" or userName pr \"");
/// ```
pub fn filter_build(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(Some((filter, expected))) = build(&mut u, 0) else {
        return;
    };
    if filter.as_str().len() > MAX_FILTER_LEN {
        return;
    }
    match parse_filter(filter.as_str()) {
        Ok(got) => assert_eq!(
            got,
            expected,
            "the filter {:?} does not read back as built",
            filter.as_str()
        ),
        Err(e) => panic!("the filter {:?} does not parse: {e}", filter.as_str()),
    }
}

fn attribute(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(if u.arbitrary()? {
        (*u.choose(NAMES)?).to_owned()
    } else {
        u.arbitrary()?
    })
}

fn build(u: &mut Unstructured<'_>, depth: usize) -> Result<Option<(Filter, Expr)>> {
    let kind = if depth >= MAX_DEPTH {
        0
    } else {
        u.int_in_range(0..=2u8)?
    };
    Ok(match kind {
        0 => {
            let attr = attribute(u)?;
            let built = match u.int_in_range(0..=2u8)? {
                0 => {
                    let s: String = u.arbitrary()?;
                    Filter::eq(&attr, s.as_str()).map(|f| (f, Value::String(s)))
                }
                1 => {
                    let b: bool = u.arbitrary()?;
                    Filter::eq(&attr, b).map(|f| (f, Value::Bool(b)))
                }
                _ => {
                    let n: i64 = u.arbitrary()?;
                    Filter::eq(&attr, n).map(|f| (f, Value::String(n.to_string())))
                }
            };
            built.ok().map(|(f, v)| (f, Expr::Eq(attr, v)))
        }
        1 => {
            let (Some((a, ea)), Some((b, eb))) = (build(u, depth + 1)?, build(u, depth + 1)?)
            else {
                return Ok(None);
            };
            Some((a.and(b), and(ea, eb)))
        }
        _ => {
            let attr = attribute(u)?;
            let Some((inner, e)) = build(u, depth + 1)? else {
                return Ok(None);
            };
            Filter::value_path(&attr, inner)
                .ok()
                .map(|f| (f, Expr::ValuePath(attr, Box::new(e))))
        }
    })
}

/// `a and b` as a parser reads it: one flat list of terms.
fn and(a: Expr, b: Expr) -> Expr {
    let terms = |e: Expr| match e {
        Expr::And(v) => v,
        other => vec![other],
    };
    let mut all = terms(a);
    all.extend(terms(b));
    Expr::And(all)
}
