/// Splits shell-like words (placeholder).
pub fn split_shell_words(_s: &str) -> Vec<String> {
    vec![]
}
