use super::support::go_quote;
use crate::declare_rule;
use crate::rules::{Diagnostics, InstructionRule, Interest, RuleContext};
use crate::syntax::{Args, Instruction, Keyword};

declare_rule! {
/// ## What it does
/// Checks for `ARG` and `ENV` names in a stage that look like secrets: a `_`-separated part
/// of the name is `apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`, `passwd`,
/// `secret` or `token` (any case), and no part is `public`, `file` or `version`.
///
/// BuildKit's matching is narrow: `FEED_ACCESSTOKEN` or `NUGET_PAT` are not caught, and the
/// ARGs before the first `FROM` are not checked.
///
/// ## Why is this bad?
/// Build arguments and environment variables are stored in the image: `docker history` and
/// `docker inspect` show them to anyone who can pull it. A NuGet feed token passed with
/// `--build-arg` leaks this way.
///
/// ## Example
/// ```dockerfile
/// ARG NUGET_AUTH_TOKEN
/// RUN dotnet restore
/// ```
///
/// ## Use instead
/// ```dockerfile
/// RUN --mount=type=secret,id=nuget_auth_token,env=NUGET_AUTH_TOKEN dotnet restore
/// ```
///
/// ## Fix safety
/// Unsafe fix (MoveSecretToBuildSecret) for NuGet and feed credentials only: the build must
/// pass the secret with `--secret` instead. No automatic fix for other names.
///
/// ## References
/// - BuildKit's `linter/ruleset.go` (`RuleSecretsUsedInArgOrEnv`)
/// - <https://docs.docker.com/build/building/secrets/>
    SecretsUsedInArgOrEnv {
        severity: Warning,
        origin: BuildKit,
        summary: "Sensitive data should not be used in the ARG or ENV commands.",
        hadolint: "DL3064",
        per_instruction: true,
    }
}

const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];
const ALLOWED_WORDS: &[&str] = &["public", "file", "version"];

/// BuildKit's `(?i)(?:_|^)(?:word)(?:_|$)` patterns: a `_`-separated part equals a word.
fn has_part(name: &str, words: &[&str]) -> bool {
    name.split('_')
        .any(|part| words.iter().any(|w| part.eq_ignore_ascii_case(w)))
}

impl InstructionRule for SecretsUsedInArgOrEnv {
    fn interest(&self) -> Interest {
        Interest::own(&[Keyword::Arg, Keyword::Env])
    }

    fn check_instruction(
        &self,
        ctx: &RuleContext,
        idx: usize,
        inst: &Instruction,
        out: &mut Diagnostics,
    ) {
        // BuildKit checks the instructions of stages: the ARGs before the first FROM are not.
        if idx < super::first_stage_instruction(ctx) {
            return;
        }
        let instruction = match inst.keyword {
            Keyword::Arg => "ARG",
            Keyword::Env => "ENV",
            _ => return,
        };
        let Args::KeyValues { pairs, .. } = &inst.args else {
            return;
        };
        for pair in pairs {
            let name = &pair.key.text;
            if has_part(name, SECRET_WORDS) && !has_part(name, ALLOWED_WORDS) {
                out.report(
                    &Self::META,
                    pair.key.range,
                    format!(
                        "Do not use ARG or ENV instructions for sensitive data ({instruction} {})",
                        go_quote(name)
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn reports_secret_looking_names() {
        assert_eq!(
            check_rule(
                "SecretsUsedInArgOrEnv",
                "FROM alpine\nARG NUGET_AUTH_TOKEN\nENV api_key=x DB_PASSWORD=y\nARG Secret\n"
            ),
            [
                "2:5-2:21 Do not use ARG or ENV instructions for sensitive data (ARG \"NUGET_AUTH_TOKEN\")",
                "3:5-3:12 Do not use ARG or ENV instructions for sensitive data (ENV \"api_key\")",
                "3:15-3:26 Do not use ARG or ENV instructions for sensitive data (ENV \"DB_PASSWORD\")",
                "4:5-4:11 Do not use ARG or ENV instructions for sensitive data (ARG \"Secret\")",
            ]
        );
    }

    #[test]
    fn follows_buildkit_word_matching() {
        assert!(check_rule(
            "SecretsUsedInArgOrEnv",
            "ARG GLOBAL_TOKEN\nFROM alpine\nARG FEED_ACCESSTOKEN\nENV PUBLIC_KEY=x TOKEN_FILE=/run/t KEYCLOAK_URL=u AUTH_VERSION=2\n"
        )
        .is_empty());
    }
}
