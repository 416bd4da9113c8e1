//! Open documents: their text as a rope, their version, and the analysis of that version.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::{Range, TextDocumentContentChangeEvent, Uri};
use ropey::Rope;

use super::position::resolve;
use crate::analysis::{Analysis, AnalysisEnv};
use crate::text::Encoding;

pub(crate) struct Document {
    pub rope: Rope,
    pub version: i32,
    /// The analysis of the current text: `Err` holds the panic message when analysis
    /// crashed, so the same text is not analysed (and does not crash) again.
    pub analysis: Option<Result<Arc<Analysis>, String>>,
    /// The environment `analysis` was computed in, kept for the requests answered from it
    /// (it is dropped whenever `analysis` is, so it never outlives what it was made for).
    pub env: Option<Arc<AnalysisEnv>>,
}

#[derive(Default)]
pub(crate) struct DocumentStore {
    documents: HashMap<Uri, Document>,
}

/// What happened to the positions of one incremental change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EditNotes {
    /// A start or end position lay outside the document and was clamped.
    pub clamped: bool,
    /// The range ended before it started; its ends were swapped.
    pub reversed: bool,
}

impl DocumentStore {
    /// Opens (or, when already open, replaces) a document; returns whether it was open.
    pub fn open(&mut self, uri: Uri, text: &str, version: i32) -> bool {
        let document = Document {
            rope: Rope::from_str(text),
            version,
            analysis: None,
            env: None,
        };
        self.documents.insert(uri, document).is_some()
    }

    /// Forgets every cached analysis (the solution or configuration changed); returns the
    /// open documents.
    pub fn invalidate_all(&mut self) -> Vec<Uri> {
        self.documents
            .iter_mut()
            .map(|(uri, document)| {
                document.forget_analysis();
                uri.clone()
            })
            .collect()
    }

    pub fn close(&mut self, uri: &Uri) -> bool {
        self.documents.remove(uri).is_some()
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.documents.get(uri)
    }

    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.documents.get_mut(uri)
    }

    /// The open documents, in no particular order.
    pub fn uris(&self) -> Vec<Uri> {
        self.documents.keys().cloned().collect()
    }
}

impl Document {
    /// Applies the changes of one `didChange` in order and moves to `version`. Returns one
    /// note per incremental change whose range had to be repaired.
    pub fn apply_changes(
        &mut self,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: Encoding,
    ) -> Vec<(usize, EditNotes)> {
        let mut notes = Vec::new();
        for (index, change) in changes.iter().enumerate() {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let note = apply_edit(&mut self.rope, range, &change.text, encoding);
                    if note != EditNotes::default() {
                        notes.push((index, note));
                    }
                }
            }
        }
        self.version = version;
        self.forget_analysis();
        notes
    }

    /// Drops the analysis of the previous text and its environment.
    pub fn forget_analysis(&mut self) {
        self.analysis = None;
        self.env = None;
    }
}

/// Replaces `range` of the rope with `new_text`, repairing a range that lies outside the
/// document or runs backwards instead of failing.
pub(crate) fn apply_edit(
    rope: &mut Rope,
    range: Range,
    new_text: &str,
    encoding: Encoding,
) -> EditNotes {
    let start = resolve(rope, range.start, encoding);
    let end = resolve(rope, range.end, encoding);
    let reversed = start.char_index > end.char_index;
    let (from, to) = if reversed {
        (end.char_index, start.char_index)
    } else {
        (start.char_index, end.char_index)
    };
    rope.remove(from..to);
    rope.insert(from, new_text);
    EditNotes {
        clamped: start.clamped || end.clamped,
        reversed,
    }
}

/// The local path of a `file:` URI (percent-decoded), for rules that look at the files
/// around the Dockerfile. Other schemes (`untitled:`, ...) have no path.
pub(crate) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // Skip the authority (usually empty, `localhost` on some clients).
    let path = &rest[rest.find('/')?..];
    let decoded = percent_decode(path)?;
    // `file:///c:/x` on Windows is the path `c:/x`.
    let bytes = decoded.as_bytes();
    let windows_drive =
        bytes.len() >= 3 && bytes[0] == b'/' && bytes[1].is_ascii_alphabetic() && bytes[2] == b':';
    if cfg!(windows) && windows_drive {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::Position;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn range(sl: u32, sc: u32, el: u32, ec: u32) -> Range {
        Range::new(Position::new(sl, sc), Position::new(el, ec))
    }

    #[test]
    fn edits_next_to_wide_characters_land_in_both_encodings() {
        let text = "LABEL a=\"日本語🐳\" b\n";
        // Insert before ` b`: after the closing quote.
        for (encoding, column) in [(Encoding::Utf8, 23), (Encoding::Utf16, 15)] {
            let mut rope = Rope::from_str(text);
            let notes = apply_edit(&mut rope, range(0, column, 0, column), "!", encoding);
            assert_eq!(notes, EditNotes::default());
            assert_eq!(rope.to_string(), "LABEL a=\"日本語🐳\"! b\n");
        }
        // Replace the whale alone.
        for (encoding, start, end) in [(Encoding::Utf8, 18, 22), (Encoding::Utf16, 12, 14)] {
            let mut rope = Rope::from_str(text);
            apply_edit(&mut rope, range(0, start, 0, end), "x", encoding);
            assert_eq!(rope.to_string(), "LABEL a=\"日本語x\" b\n");
        }
    }

    #[test]
    fn broken_ranges_are_repaired() {
        let mut rope = Rope::from_str("ab\ncd");
        let notes = apply_edit(&mut rope, range(1, 1, 9, 9), "X", Encoding::Utf16);
        assert_eq!(
            notes,
            EditNotes {
                clamped: true,
                reversed: false
            }
        );
        assert_eq!(rope.to_string(), "ab\ncX");
        let notes = apply_edit(&mut rope, range(1, 0, 0, 1), "-", Encoding::Utf8);
        assert_eq!(
            notes,
            EditNotes {
                clamped: false,
                reversed: true
            }
        );
        assert_eq!(rope.to_string(), "a-cX");
    }

    #[test]
    fn changes_apply_in_order_and_full_text_replaces() {
        let mut store = DocumentStore::default();
        let uri = Uri::from_str("file:///w/Dockerfile").unwrap();
        assert!(!store.open(uri.clone(), "FROM a\n", 1));
        let doc = store.get_mut(&uri).unwrap();
        let changes = [
            TextDocumentContentChangeEvent {
                range: Some(range(0, 6, 0, 6)),
                range_length: None,
                text: "\nRUN x".into(),
            },
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "FROM b\n".into(),
            },
            TextDocumentContentChangeEvent {
                range: Some(range(0, 5, 0, 6)),
                range_length: None,
                text: "c".into(),
            },
        ];
        assert!(doc.apply_changes(4, &changes, Encoding::Utf16).is_empty());
        assert_eq!(doc.rope.to_string(), "FROM c\n");
        assert_eq!(doc.version, 4);
        assert!(store.close(&uri));
        assert!(!store.close(&uri));
    }

    #[test]
    fn file_uris_become_paths() {
        let uri = Uri::from_str("file:///home/me/My%20App/Dockerfile").unwrap();
        assert_eq!(
            file_path(&uri),
            Some(PathBuf::from("/home/me/My App/Dockerfile"))
        );
        let uri = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(file_path(&uri), None);
        let uri = Uri::from_str("file:///bad%FF").unwrap();
        assert_eq!(file_path(&uri), None);
    }

    /// A plain reference model of an LSP document: a String and a scan from the start of
    /// each line. Slow but obviously right.
    fn reference_offset(text: &str, pos: Position, encoding: Encoding) -> usize {
        let mut line_start = 0;
        let mut line = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        while line < pos.line {
            match bytes.get(i) {
                None => return text.len(),
                Some(b'\n') => {
                    line += 1;
                    line_start = i + 1;
                }
                Some(b'\r') => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line += 1;
                    line_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        let mut units = 0usize;
        for (at, ch) in text[line_start..].char_indices() {
            if ch == '\n' || ch == '\r' {
                return line_start + at;
            }
            let width = match encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
            };
            if units + width > pos.character as usize {
                return line_start + at;
            }
            units += width;
        }
        text.len()
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("RUN "),
                Just("\n"),
                Just("\r\n"),
                Just("\r"),
                Just("日"),
                Just("🐳"),
                Just("\\"),
                Just("é"),
            ],
            0..30,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn random_edit_sequences_match_the_reference_model(
            initial in text_strategy(),
            edits in proptest::collection::vec(
                (0u32..8, 0u32..12, 0u32..8, 0u32..12, text_strategy()),
                1..20,
            ),
            utf8 in any::<bool>(),
        ) {
            let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            let mut rope = Rope::from_str(&initial);
            let mut expected = initial.clone();
            for (sl, sc, el, ec, new_text) in edits {
                let r = range(sl, sc, el, ec);
                apply_edit(&mut rope, r, &new_text, encoding);
                let a = reference_offset(&expected, r.start, encoding);
                let b = reference_offset(&expected, r.end, encoding);
                expected.replace_range(a.min(b)..a.max(b), &new_text);
                prop_assert_eq!(rope.to_string(), expected.clone());
            }
        }
    }
}
