//! The shapes whose line breaks depend on width, laid out as prettyplease
//! lays them out.
//!
//! prettyplease breaks the outermost group of a line that does not fit
//! (a group's width runs to the next place the enclosing group could
//! break, usually the end of the line), then lays out each resulting line
//! the same way. A broken list puts one item a line, indented; a trailing
//! comma it adds only because it broke does not count against the width.
//! Whatever these helpers cannot settle is marked too wide, and its unit
//! goes to prettyplease.

use super::writer::Writer;

/// prettyplease prints a struct literal on one line only up to this width.
const STRUCT_LITERAL_MAX: usize = 34;

/// One argument of a call in a [`Writer::chain`].
pub(crate) enum Arg {
    /// An expression with no breakable group, e.g. a string literal.
    Text(String),
    /// `&[a, b]`: a reference to an array of such expressions.
    Array(Vec<String>),
}

impl Arg {
    fn width(&self) -> usize {
        match self {
            Arg::Text(text) => text.len(),
            Arg::Array(items) => 3 + joined_width(items),
        }
    }

    fn push_inline(&self, out: &mut String) {
        match self {
            Arg::Text(text) => out.push_str(text),
            Arg::Array(items) => {
                out.push_str("&[");
                push_joined(out, items);
                out.push(']');
            }
        }
    }
}

/// The width of `items` joined by `", "`.
fn joined_width<S: AsRef<str>>(items: &[S]) -> usize {
    let sum: usize = items.iter().map(|i| i.as_ref().len() + 2).sum();
    sum.saturating_sub(2)
}

fn push_joined<S: AsRef<str>>(out: &mut String, items: &[S]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item.as_ref());
    }
}

impl Writer {
    /// `head` `items` `tail`, the items separated by commas, as prettyplease
    /// prints function parameters, call arguments, array elements, generic
    /// arguments and attribute arguments: on one line when it fits, else one
    /// item a line, indented, with a trailing comma when `trailing_comma`
    /// (attributes have none).
    pub(crate) fn list<S: AsRef<str>>(
        &mut self,
        head: &str,
        items: &[S],
        tail: &str,
        trailing_comma: bool,
    ) {
        if items.is_empty() || head.len() + joined_width(items) + tail.len() <= self.space() {
            let start = self.begin_line();
            self.out.push_str(head);
            push_joined(&mut self.out, items);
            self.out.push_str(tail);
            self.end_line(start);
            return;
        }
        self.line(head);
        self.depth += 1;
        self.items(items, trailing_comma);
        self.depth -= 1;
        self.line(tail);
    }

    /// One item a line, each followed by a comma but the last (which gets
    /// an uncounted one with `trailing_comma`).
    fn items<S: AsRef<str>>(&mut self, items: &[S], trailing_comma: bool) {
        for (i, item) in items.iter().enumerate() {
            let start = self.begin_line();
            self.out.push_str(item.as_ref());
            if i + 1 < items.len() {
                self.out.push(',');
                self.end_line(start);
            } else if trailing_comma {
                self.out.push(',');
                self.end_line_but(start, 1);
            } else {
                self.end_line(start);
            }
        }
    }

    /// A function signature as [`list`](Self::list) prints it, opening the
    /// function's body: `tail` ends with `{`.
    pub(crate) fn open_fn(&mut self, head: &str, params: &[String], tail: &str) {
        self.list(head, params, tail, true);
        self.depth += 1;
    }

    /// A function signature returning `Result<ok, err>`, opening its body.
    /// When breaking the parameters is not enough, the `Result`'s type
    /// arguments break too.
    pub(crate) fn open_fn_result(&mut self, head: &str, params: &[String], ok: &str, err: &str) {
        let tail = format!(") -> Result<{ok}, {err}> {{");
        let line = head.len() + joined_width(params) + tail.len();
        if params.is_empty() || line <= self.space() || tail.len() <= self.space() {
            self.open_fn(head, params, &tail);
            return;
        }
        self.line(head);
        self.depth += 1;
        self.items(params, true);
        self.depth -= 1;
        self.list(") -> Result<", &[ok, err], "> {", true);
        self.depth += 1;
    }

    /// A struct literal `head { fields }` followed by `tail`; prettyplease
    /// breaks one wider than 34 columns even when it fits the line.
    pub(crate) fn struct_literal(&mut self, head: &str, fields: &[String], tail: &str) {
        // Up to the space before `}`, which is what prettyplease measures.
        let literal = head.len() + 3 + joined_width(fields) + 1;
        if literal <= STRUCT_LITERAL_MAX && literal + 1 + tail.len() <= self.space() {
            let start = self.begin_line();
            self.out.push_str(head);
            self.out.push_str(" { ");
            push_joined(&mut self.out, fields);
            self.out.push_str(" }");
            self.out.push_str(tail);
            self.end_line(start);
            return;
        }
        self.open(format_args!("{head} {{"));
        self.items(fields, true);
        self.depth -= 1;
        self.line_fmt(format_args!("}}{tail}"));
    }

    /// `{prefix}{a, b};` as prettyplease prints a `use` group: on one line
    /// if it fits, else the names filling indented lines between the
    /// braces, the last one with a trailing comma.
    pub(crate) fn fill(&mut self, prefix: &str, names: &[&str]) {
        if prefix.len() + 1 + joined_width(names) + 2 <= self.space() {
            let start = self.begin_line();
            self.out.push_str(prefix);
            self.out.push('{');
            push_joined(&mut self.out, names);
            self.out.push_str("};");
            self.end_line(start);
            return;
        }
        self.open(format_args!("{prefix}{{"));
        let space = self.space();
        let mut start = self.begin_line();
        for (i, name) in names.iter().enumerate() {
            let last = i + 1 == names.len();
            if i > 0 {
                // A name stays on the line if it fits with its comma (the
                // last one's trailing comma does not count).
                let comma = usize::from(!last);
                if self.out.len() - start + 1 + name.len() + comma <= space {
                    self.out.push(' ');
                } else {
                    self.end_line(start);
                    start = self.begin_line();
                }
            }
            self.out.push_str(name);
            self.out.push(',');
        }
        self.end_line_but(start, 1);
        self.close("};");
    }

    /// `{head}{receiver}(args).method(args)…{tail}`, a method chain: on one
    /// line when it fits; else the receiver's call on the first line and
    /// one `.method(…)` a line, indented, any of these calls breaking its
    /// arguments (and an array argument its elements) when it must.
    pub(crate) fn chain(
        &mut self,
        head: &str,
        receiver: (&str, &[Arg]),
        calls: &[(&str, Vec<Arg>)],
        tail: &str,
    ) {
        let call_width = |name: &str, args: &[Arg]| -> usize {
            let sum: usize = args.iter().map(|a| a.width() + 2).sum();
            name.len() + sum.saturating_sub(2) + 2
        };
        let first = head.len() + call_width(receiver.0, receiver.1);
        let rest: usize = calls.iter().map(|(m, a)| call_width(m, a)).sum();
        if first + rest + tail.len() <= self.space() {
            let start = self.begin_line();
            self.out.push_str(head);
            self.push_call(receiver.0, receiver.1);
            for (method, args) in calls {
                self.push_call(method, args);
            }
            self.out.push_str(tail);
            self.end_line(start);
            return;
        }
        // The receiver's arguments and the calls are indented one level
        // more than a plain broken call's, inside the chain's own group.
        self.call_line(head, receiver, "", first, 2);
        self.depth += 1;
        for (i, (method, args)) in calls.iter().enumerate() {
            let end = if i + 1 == calls.len() { tail } else { "" };
            let width = call_width(method, args) + end.len();
            self.call_line("", (method, args), end, width, 1);
        }
        self.depth -= 1;
    }

    fn push_call(&mut self, name: &str, args: &[Arg]) {
        self.out.push_str(name);
        self.out.push('(');
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            arg.push_inline(&mut self.out);
        }
        self.out.push(')');
    }

    /// One call of a broken chain: `{head}{name}(args){end}` on one line if
    /// its `width` fits, else its arguments one a line, `args_indent` levels
    /// in, and `){end}` one level in from the line it started on.
    fn call_line(
        &mut self,
        head: &str,
        call: (&str, &[Arg]),
        end: &str,
        width: usize,
        args_indent: usize,
    ) {
        let (name, args) = call;
        if args.is_empty() || width <= self.space() {
            let start = self.begin_line();
            self.out.push_str(head);
            self.push_call(name, args);
            self.out.push_str(end);
            self.end_line(start);
            return;
        }
        self.line_fmt(format_args!("{head}{name}("));
        let base = self.depth;
        self.depth += args_indent;
        for (i, arg) in args.iter().enumerate() {
            self.arg_line(arg, i + 1 == args.len());
        }
        self.depth = base + args_indent - 1;
        self.line_fmt(format_args!("){end}"));
        self.depth = base;
    }

    /// One argument of a broken call, with its comma.
    fn arg_line(&mut self, arg: &Arg, last: bool) {
        let comma_counts = usize::from(!last);
        match arg {
            Arg::Array(items) if arg.width() + comma_counts > self.space() => {
                self.line("&[");
                self.depth += 1;
                self.items(items, true);
                self.depth -= 1;
                let start = self.begin_line();
                self.out.push_str("],");
                self.end_line(start);
            }
            _ => {
                let start = self.begin_line();
                arg.push_inline(&mut self.out);
                self.out.push(',');
                self.end_line_but(start, 1 - comma_counts);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Arg;
    use crate::emit::layout::Container;
    use crate::emit::writer::Writer;

    /// Writes `write` as the usual writer would and as prettyplease lays it
    /// out, and fails on any difference.
    fn assert_same(case: &str, write: &dyn Fn(&mut Writer)) {
        let render = |reference: bool| {
            let mut w = Writer::new(reference);
            write(&mut w);
            w.finish()
                .map(|(text, _)| text)
                .unwrap_or_else(|e| panic!("{case}: {e}"))
        };
        let (ours, reference) = (render(false), render(true));
        assert_eq!(ours, reference, "{case}");
    }

    /// A name of `len` characters (at least one).
    fn name(prefix: &str, len: usize) -> String {
        format!(
            "{prefix}{}",
            "x".repeat(len.saturating_sub(prefix.len()).max(1))
        )
    }

    /// Deterministic lengths in `0..bound`.
    fn lengths(seed: u64, bound: u64) -> impl Iterator<Item = usize> {
        let mut state = seed;
        std::iter::from_fn(move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            Some(((state >> 33) % bound) as usize)
        })
    }

    /// An impl member written by `member`, for lengths `a` and `b`.
    fn member(w: &mut Writer, member: &dyn Fn(&mut Writer)) {
        w.unit(Container::File, |w| {
            w.open(format_args!("impl W {{"));
            w.unit(Container::Impl, member);
            w.close("}");
        });
    }

    #[test]
    fn signatures_calls_and_fields_break_where_prettyplease_breaks_them() {
        let mut len = lengths(7, 70);
        for case in 0..300 {
            let (a, b, c) = (
                len.next().unwrap(),
                len.next().unwrap(),
                len.next().unwrap(),
            );
            let params = [
                "mut self".into(),
                format!("{}: {}", name("p", a), name("T", b)),
            ];
            let (ok, err) = (format!("Vec<{}>", name("Ok", b)), name("E", c));
            assert_same(&format!("signature {case}"), &|w| {
                member(w, &|w| {
                    w.open_fn_result(&format!("pub fn {}(", name("f", c)), &params, &ok, &err);
                    w.list(
                        &format!("self.{} = Some(", name("f", a)),
                        &[name("v", b)],
                        ");",
                        true,
                    );
                    w.line("self");
                    w.close("}");
                });
            });
            assert_same(&format!("field {case}"), &|w| {
                w.unit(Container::File, |w| {
                    w.open(format_args!("struct S {{"));
                    w.unit(Container::Struct, |w| {
                        let wire = format!("\"{}\"", name("w", a));
                        let serde = [format!("rename = {wire}"), "default".into()];
                        w.list("#[serde(", &serde, ")]", false);
                        let ty = [format!("Vec<{}>", name("T", c))];
                        w.list(&format!("pub {}: Option<", name("f", b)), &ty, ">,", true);
                    });
                    w.close("}");
                });
            });
        }
    }

    #[test]
    fn chains_literals_and_use_groups_break_where_prettyplease_breaks_them() {
        let mut len = lengths(11, 60);
        for case in 0..300 {
            let (a, b, c) = (
                len.next().unwrap(),
                len.next().unwrap(),
                len.next().unwrap(),
            );
            let lit = |l: usize| format!("\"{}\"", name("s", l));
            assert_same(&format!("chain {case}"), &|w| {
                member(w, &|w| {
                    let receiver = [Arg::Text(lit(a))];
                    let calls = [
                        (".schema", vec![Arg::Text(lit(b))]),
                        (
                            ".read_only",
                            vec![Arg::Array(vec![lit(c), lit(a / 2), lit(b / 3)])],
                        ),
                    ];
                    let calls = &calls[..1 + case % 2];
                    w.chain(
                        "const INFO: m::Info = ",
                        ("m::Info::new", &receiver),
                        calls,
                        ";",
                    );
                });
            });
            assert_same(&format!("struct literal {case}"), &|w| {
                member(w, &|w| {
                    w.open_fn("fn f(", &[], ") -> Self {");
                    let fields = [format!("{}: None", name("a", a / 4)), name("b", b / 4)];
                    w.struct_literal(&name("S", c / 4), &fields[..1 + case % 2], "");
                    w.close("}");
                });
            });
            let names: Vec<String> = (0..2 + case % 9)
                .map(|i| name("N", (a + i * b) % 30))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            assert_same(&format!("use group {case}"), &|w| {
                w.unit(Container::File, |w| {
                    w.fill(&format!("use {}::", name("m", c)), &names)
                });
            });
        }
    }
}
