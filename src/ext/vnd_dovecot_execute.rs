//! Dovecot's "vnd.dovecot.execute" (spec-bosch-sieve-extprograms §7, §8):
//! `execute` runs an external program, with the message (`:pipe`) or a
//! string (`:input`) as its input, and can store its output in a variable
//! (`:output`); it is an action and, per §8, also a test.
//!
//! Validation:
//! - the program name (§3), as for `pipe`;
//! - `:input` and `:pipe` together MUST be a compile error (§7): their
//!   exclusive set, reported by conflicting-tags;
//! - `:output` without `require "variables"` MUST be a compile error (§7);
//! - the `:output` name MUST be a constant, valid variable name that `set`
//!   could assign (§7, RFC 5229 §3, §4): not a match variable (`1`), not
//!   the read-only `env.` namespace of vnd.dovecot.environment.

use super::{Arg, Extension, Signature, TagSpec, Validation};

/// §7: execute [":input" <input-data: string> / ":pipe"]
///             [":output" <varname: string>]
///             <program-name: string> [<arguments: string-list>]
const EXECUTE: Signature = Signature {
    tags: &[
        TagSpec::with_arg("input", Arg::string("input-data"))
            .doc("Gives the program this string as its input.")
            .exclusive("program input"),
        TagSpec::flag("pipe")
            .doc("Gives the program the message as its input.")
            .exclusive("program input"),
        TagSpec::with_arg("output", Arg::string("varname"))
            .doc("The variable that receives what the program writes.")
            .also_uses(&["variables"]),
    ],
    positional: super::vnd_dovecot_pipe::PROGRAM,
    doc: "Runs the named program without changing the message; as a test, true when it succeeds.",
    ..Signature::new("execute")
};

pub static VND_DOVECOT_EXECUTE: Extension = Extension {
    commands: &[EXECUTE],
    // §8: "execute" as a test, with the same arguments.
    tests: &[EXECUTE],
    validate: Some(validate),
    doc: "Dovecot extension adding execute, to run a configured program that does not change the message.",
    ..Extension::new("vnd.dovecot.execute", "spec-bosch-sieve-extprograms §7, §8")
};

fn validate(v: &mut Validation<'_, '_, '_>) {
    if !v.use_().node.name().is("execute") {
        return;
    }
    super::vnd_dovecot_pipe::check_program_name(v);
    let u = v.use_();
    let Some(output) = u.binding.tag("output") else {
        return;
    };
    if !v.has("variables") {
        v.error(output.tag.span, "`:output` needs require \"variables\"")
            .with_primary_label("stores into a variable")
            .with_help(
                "add \"variables\" to the require (spec-bosch-sieve-extprograms §7: \
                 :output without it MUST be a compile error)",
            );
    }
    let Some([name]) = output.arg.map(|a| a.strings()) else {
        return;
    };
    if let Some(why) = output_name_problem(&name.value) {
        v.error(
            name.span,
            format!(
                "{} cannot receive the output of `execute`",
                crate::diagnostic::show(&name.value)
            ),
        )
        .with_primary_label(why)
        .with_help(
            "name a variable `set` could assign, such as \"result\" \
             (spec-bosch-sieve-extprograms §7, RFC 5229 §3)",
        );
    }
}

/// Why `name` is not a variable `set` could assign, if it is not.
fn output_name_problem(name: &str) -> Option<&'static str> {
    let identifier = |s: &str| {
        let mut b = s.bytes();
        b.next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
            && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
    };
    if name.contains("${") {
        return Some("must be a constant string");
    }
    if !name.is_empty() && name.bytes().all(|c| c.is_ascii_digit()) {
        return Some("a match variable cannot be set");
    }
    let mut parts = name.split('.');
    let first = parts.next().unwrap_or("");
    if !name.split('.').all(identifier) {
        return Some("not a variable name");
    }
    if parts.next().is_some() && first.eq_ignore_ascii_case("env") {
        return Some("the env namespace is read-only");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::output_name_problem;

    #[test]
    fn output_names() {
        assert_eq!(output_name_problem("result"), None);
        assert_eq!(output_name_problem("_a1"), None);
        assert_eq!(output_name_problem("global.counter"), None);
        assert!(output_name_problem("1").is_some());
        assert!(output_name_problem("").is_some());
        assert!(output_name_problem("my-var").is_some());
        assert!(output_name_problem("${x}").is_some());
        assert!(output_name_problem("env.vnd.dovecot.username").is_some());
        assert!(output_name_problem("a..b").is_some());
    }
}
