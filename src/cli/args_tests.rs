//! Property tests of the command line: no argument list makes the parser panic, every numeric
//! flag either parses to a usable value or is a usage error (exit 2).

use clap::Parser;

use super::{parse_seconds, parse_unit_interval};
use crate::Cli;

/// Values that have broken numeric flags before, or could.
const VALUES: &[&str] = &[
    "1e20",
    "1e19",
    "1.8e19",
    "-1",
    "0",
    "-0",
    "0.0",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e-300",
    "1e308",
    "1e309",
    "18446744073709551616",
    "184467440737095516150",
    "abc",
    "",
    " 1",
    "1 ",
    "0x10",
    "1_000",
    "2.5",
    "1",
    "100",
    "0.5",
    "1.0000001",
    "-0.5",
    "\u{0}",
    "١",
];

/// Subcommands with their numeric flags and a minimal set of other arguments.
const FLAGS: &[(&[&str], &str)] = &[
    (&["query", "--query", "ASK {}"], "--timeout"),
    (&["ingest", "x.txt"], "--batch-quads"),
    (&["link"], "--threshold"),
    (&["serve"], "--max-requests"),
];

#[test]
fn timeout_of_1e20_seconds_is_a_usage_error_not_a_panic() {
    let e = Cli::try_parse_from([
        "newsgraph",
        "query",
        "--query",
        "ASK {}",
        "--timeout",
        "1e20",
    ])
    .err()
    .expect("refused");
    assert_eq!(e.exit_code(), 2, "{e}");
    assert!(e.to_string().contains("too long"), "{e}");
}

#[test]
fn numeric_values_parse_to_usable_values_or_are_refused() {
    for v in VALUES {
        if let Ok(d) = parse_seconds(v) {
            assert!(!d.is_zero(), "{v:?} -> {d:?}");
        }
        if let Ok(x) = parse_unit_interval(v) {
            assert!((0.0..=1.0).contains(&x), "{v:?} -> {x}");
        }
    }
    assert_eq!(
        parse_seconds("2.5"),
        Ok(std::time::Duration::from_millis(2500))
    );
    assert!(parse_seconds("1e20").is_err());
    assert!(parse_seconds("NaN").is_err());
    // Regression: 1e-300 s rounded to a zero Duration, a timeout that fires before the query.
    assert!(parse_seconds("1e-300").is_err());
    assert!(parse_unit_interval("1.0000001").is_err());
}

#[test]
fn no_argument_list_makes_the_parser_panic() {
    // xorshift: a fixed, reproducible stream of cases.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for _ in 0..3000 {
        let (base, flag) = FLAGS[next(FLAGS.len())];
        let mut args: Vec<String> = std::iter::once("newsgraph")
            .chain(base.iter().copied())
            .map(str::to_owned)
            .collect();
        for _ in 0..=next(3) {
            args.push(flag.to_owned());
            args.push(VALUES[next(VALUES.len())].to_owned());
        }
        let parsed = std::panic::catch_unwind(|| Cli::try_parse_from(&args).map(|_| ()));
        match parsed {
            Err(_) => panic!("the parser panicked on {args:?}"),
            Ok(Err(e)) => assert_eq!(e.exit_code(), 2, "{args:?}: {e}"),
            Ok(Ok(())) => {}
        }
    }
}
