use super::*;

fn slice(text: &str, r: TextRange) -> &str {
    &text[r.as_range()]
}

#[test]
fn ranges_of_keywords_flags_and_words() {
    let text = "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build\n\
                COPY --link --from=build [\"src/My App/App.csproj\", \"src/My App/\"]\n";
    let tree = parse(text);
    assert!(tree.errors.is_empty());
    let from = &tree.instructions[0];
    assert_eq!(from.keyword, Keyword::From);
    assert_eq!(slice(text, from.keyword_range), "FROM");
    let platform = from.flag("platform").unwrap();
    assert_eq!(slice(text, platform.range), "--platform=$BUILDPLATFORM");
    assert_eq!(slice(text, platform.name_range), "platform");
    assert_eq!(
        slice(text, platform.value.as_ref().unwrap().range),
        "$BUILDPLATFORM"
    );
    let Args::Words(words) = &from.args else {
        panic!("FROM has words")
    };
    assert_eq!(
        words
            .iter()
            .map(|w| slice(text, w.range))
            .collect::<Vec<_>>(),
        ["mcr.microsoft.com/dotnet/sdk:10.0", "AS", "build"]
    );
    let copy = &tree.instructions[1];
    assert!(copy.flag("link").unwrap().value.is_none());
    let Args::Exec { range, elements } = &copy.args else {
        panic!("COPY in JSON form")
    };
    assert_eq!(
        slice(text, *range),
        "[\"src/My App/App.csproj\", \"src/My App/\"]"
    );
    assert_eq!(elements[0].text, "src/My App/App.csproj");
    assert_eq!(slice(text, elements[1].range), "\"src/My App/\"");
}

#[test]
fn continuation_lines_map_back_to_the_source() {
    let text = "RUN dotnet restore \\\n    # a comment\n\n    && dotnet publish \\\n    -c Release\nUSER app";
    let tree = parse(text);
    let run = &tree.instructions[0];
    assert_eq!(run.start_line, 0);
    assert_eq!(run.end_line, 4);
    assert_eq!(
        slice(text, run.range),
        &text[..text.find("\nUSER").unwrap()]
    );
    let Args::Shell(cmd) = &run.args else {
        panic!("shell form")
    };
    assert_eq!(
        cmd.text,
        "dotnet restore     && dotnet publish     -c Release"
    );
    assert_eq!(run.empty_continuation_lines.len(), 1);
    assert_eq!(tree.comments.len(), 1);
    assert_eq!(slice(text, tree.comments[0]), "# a comment");
    let user = &tree.instructions[1];
    assert_eq!(slice(text, user.range), "USER app");
}

#[test]
fn heredoc_bodies_and_terminators() {
    let text = "FROM a\nRUN <<EOF cat > /x\nline \\\n# not a comment\nEOF\nCOPY <<-\"END\" /y\n\tz\n\tEND\n";
    let tree = parse(text);
    assert!(tree.errors.is_empty(), "{:?}", tree.errors);
    let run = &tree.instructions[1];
    let h = &run.heredocs[0];
    assert_eq!(h.name, "EOF");
    assert!(h.expand);
    assert_eq!(slice(text, h.range), "<<EOF");
    assert_eq!(h.content, "line \\\n# not a comment\n");
    assert_eq!(slice(text, h.body_range), h.content);
    assert_eq!(slice(text, h.terminator_range.unwrap()), "EOF");
    assert_eq!(run.end_line, 4);
    let copy = &tree.instructions[2];
    assert!(!copy.heredocs[0].expand);
    assert!(copy.heredocs[0].chomp);
    assert_eq!(slice(text, copy.heredocs[0].name_range), "\"END\"");
}

#[test]
fn broken_lines_are_errors_and_the_rest_still_parses() {
    let text = "FROM a\nENV X\nCMD [1, 2]\nRUN <<EOF\nnever ends\n";
    let tree = parse(text);
    let kinds: Vec<_> = tree.errors.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            SyntaxErrorKind::InvalidKeyValue,
            SyntaxErrorKind::JsonNotStringArray,
            SyntaxErrorKind::UnterminatedHeredoc
        ]
    );
    assert_eq!(tree.instructions.len(), 4);
    assert_eq!(slice(text, tree.errors[2].range), "<<EOF");
}

#[test]
fn escape_directive_switches_to_backtick() {
    let text = "# escape=`\n# syntax=docker/dockerfile:1\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY C:\\src\\ C:\\app\\\nRUN dir `\n    C:\\app\n";
    let tree = parse(text);
    assert_eq!(tree.escape, '`');
    assert_eq!(tree.directives.len(), 2);
    assert_eq!(
        slice(text, tree.directives[1].value_range),
        "docker/dockerfile:1"
    );
    assert_eq!(tree.instructions.len(), 3);
    assert_eq!(tree.instructions[2].end_line, 5);
}

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}FROM a\r\nRUN b \\\r\n  c\r\n";
    let tree = parse(text);
    assert_eq!(slice(text, tree.instructions[0].keyword_range), "FROM");
    assert_eq!(slice(text, tree.instructions[1].range), "RUN b \\\r\n  c");
    let Args::Shell(cmd) = &tree.instructions[1].args else {
        panic!()
    };
    assert_eq!(cmd.text, "b   c");
}

#[test]
fn onbuild_wraps_its_trigger() {
    let text = "ONBUILD COPY --from=x a b";
    let tree = parse(text);
    let Args::OnBuild(inner) = &tree.instructions[0].args else {
        panic!()
    };
    assert_eq!(inner.keyword, Keyword::Copy);
    assert_eq!(slice(text, inner.flag("from").unwrap().range), "--from=x");
    assert_eq!(tree.instructions[0].effective().keyword, Keyword::Copy);
}

#[test]
fn instruction_at_finds_by_offset() {
    let text = "FROM a\nRUN b\n";
    let tree = parse(text);
    assert_eq!(tree.instruction_at(9).unwrap().keyword, Keyword::Run);
    assert_eq!(tree.instruction_at(6).unwrap().keyword, Keyword::From);
    assert!(tree.instruction_at(100).is_none());
}

mod fuzz {
    use super::super::parse;
    use proptest::prelude::*;

    fn dockerfile_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("FROM ".to_string()),
            Just("RUN ".to_string()),
            Just("COPY ".to_string()),
            Just("ONBUILD ".to_string()),
            Just("ENV ".to_string()),
            Just("HEALTHCHECK CMD ".to_string()),
            Just("--from=".to_string()),
            Just("<<EOF".to_string()),
            Just("<<-'E'".to_string()),
            Just("EOF".to_string()),
            Just("\\".to_string()),
            Just("`".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r".to_string()),
            Just("# escape=`\n".to_string()),
            Just("#".to_string()),
            Just("[\"a\", ".to_string()),
            Just("]".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("=".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("日本🐳".to_string()),
            Just("\u{feff}".to_string()),
            "[a-z$={}:.-]{0,6}",
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
    }

    /// Every range of every instruction's logical line (ends out of order and past the end
    /// included) maps to what a search for each end gives.
    fn assert_ranges_map_as_searched(text: &str) {
        for inst in &parse(text).instructions {
            for inst in [inst, inst.effective()] {
                let map = &inst.rest_map.map;
                let len = inst.rest_map.offset + inst.rest.text.len() + 2;
                for start in 0..=len {
                    for end in start.saturating_sub(2)..=len {
                        assert_eq!(
                            map.range(start, end),
                            map.range_by_search(start, end),
                            "{start}..{end} of {:?} in {text:?}",
                            inst.rest.text
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn continued_lines_map_ranges_as_a_search_for_each_end_does() {
        assert_ranges_map_as_searched(&crate::bench_support::generated_dockerfile(200));
        assert_ranges_map_as_searched(
            "RUN a \\\n# c\n\n  bb \\\n\tccc \\\n\\\nd\nONBUILD RUN x \\\n y\nCOPY \\\n a b\n",
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn ranges_map_as_a_search_for_each_end_does(text in dockerfile_like()) {
            assert_ranges_map_as_searched(&text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn never_panics_and_ranges_are_valid(text in dockerfile_like()) {
            let tree = parse(&text);
            for inst in &tree.instructions {
                prop_assert!(inst.range.end() <= text.len());
                prop_assert!(text.is_char_boundary(inst.range.start()));
                prop_assert!(text.is_char_boundary(inst.range.end()));
                prop_assert!(inst.keyword_range.start() >= inst.range.start());
                for w in inst.arg_words() {
                    prop_assert!(w.range.end() <= text.len());
                    prop_assert!(text.is_char_boundary(w.range.start()) && text.is_char_boundary(w.range.end()));
                }
                for f in &inst.flags {
                    prop_assert!(text.is_char_boundary(f.range.start()) && text.is_char_boundary(f.range.end()));
                }
            }
            for e in &tree.errors {
                prop_assert!(e.range.end() <= text.len());
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            let _ = parse(&text);
        }
    }
}

#[test]
fn rest_offsets_map_across_continuations() {
    let text = "RUN dotnet restore \\\n  # c\n  && dotnet publish";
    let tree = parse(text);
    let run = &tree.instructions[0];
    let at = run.rest.text.find("publish").unwrap();
    assert_eq!(slice(text, run.rest_range(at, at + 7)), "publish");
    let at = run.rest.text.find("restore").unwrap();
    assert_eq!(slice(text, run.rest_range(at, at + 7)), "restore");
}

#[test]
fn keywords_match_case_insensitively_and_only_whole() {
    for k in Keyword::ALL {
        let upper = k.as_str();
        assert_eq!(Keyword::from_text(upper), k);
        assert_eq!(Keyword::from_text(&upper.to_ascii_lowercase()), k);
        let mixed: String = upper
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 1 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect();
        assert_eq!(Keyword::from_text(&mixed), k);
        assert_eq!(Keyword::from_text(&upper[1..]), Keyword::Unknown);
        assert_eq!(Keyword::from_text(&format!("{upper}S")), Keyword::Unknown);
    }
    for other in [
        "",
        "A",
        "ADDX",
        "ÄDD",
        "RUN\u{a0}",
        "FRÖM",
        "COPYX",
        "HEALTHCHECKS",
    ] {
        assert_eq!(Keyword::from_text(other), Keyword::Unknown, "{other}");
    }
}

#[test]
fn keyword_counts_count_what_runs() {
    let tree = parse(
        "ARG V=1\nFROM a AS b\nONBUILD RUN --mount=type=cache,target=/x echo\n\
         RUN --network=none x\nRUN y\nENV A=1\nFROM --platform=linux/amd64 b\n",
    );
    let counts = &tree.keyword_counts;
    assert_eq!(counts.of(Keyword::From), 2);
    assert_eq!(counts.of(Keyword::Run), 3);
    assert_eq!(counts.of(Keyword::Onbuild), 0);
    assert_eq!(counts.of(Keyword::Arg), 1);
    assert_eq!(counts.of(Keyword::Env), 1);
    // The ONBUILD trigger's and the RUN's flags; FROM's are not counted.
    assert_eq!(counts.flagged(), 2);
}
