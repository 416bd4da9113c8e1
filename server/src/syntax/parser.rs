use super::SyntaxTree;
pub fn parse(_text: &str) -> SyntaxTree {
    SyntaxTree {
        escape: '\\',
        ..Default::default()
    }
}
