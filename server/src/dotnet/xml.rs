//! A small XML tree with byte ranges, built from quick-xml's event reader.
//!
//! MSBuild files are schema-less, ordered property bags, so the evaluator wants a plain tree
//! of elements in document order. Entities are never expanded: a DOCTYPE that declares
//! entities makes the whole file an error (the "billion laughs" defence), and only the five
//! predefined entities and character references are decoded in text and attributes.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::text::TextRange;

/// Elements nested deeper than this are rejected, which keeps every recursive walk over the
/// tree far away from the stack limit.
pub const MAX_XML_DEPTH: usize = 128;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlAttribute {
    /// Local name (namespace prefix removed).
    pub name: String,
    /// Value with entities and character references decoded.
    pub value: String,
    /// Range of the raw value between the quotes.
    pub value_range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlElement {
    /// Local name (namespace prefix removed); MSBuild files use a default namespace.
    pub name: String,
    pub name_range: TextRange,
    /// From `<` of the start tag to `>` of the end tag.
    pub range: TextRange,
    pub attributes: Vec<XmlAttribute>,
    pub children: Vec<XmlElement>,
    /// Concatenated text and CDATA directly inside this element, decoded.
    pub text: String,
    /// Range covering the direct text content, when there is any.
    pub text_range: Option<TextRange>,
}

impl XmlElement {
    fn new(name: String, name_range: TextRange, start: usize) -> Self {
        XmlElement {
            name,
            name_range,
            range: TextRange::empty(start),
            attributes: Vec::new(),
            children: Vec::new(),
            text: String::new(),
            text_range: None,
        }
    }

    /// The attribute with this name, compared case-insensitively as MSBuild does.
    pub fn attribute(&self, name: &str) -> Option<&XmlAttribute> {
        self.attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    pub fn attribute_value(&self, name: &str) -> Option<&str> {
        self.attribute(name).map(|a| a.value.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a XmlElement> {
        self.children
            .iter()
            .filter(move |c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlDocument {
    pub root: XmlElement,
}

/// Why a document could not be read as XML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XmlError {
    pub message: String,
    pub range: Option<TextRange>,
    /// The document declares entities in a DOCTYPE.
    pub declares_entities: bool,
}

impl XmlError {
    fn at(message: impl Into<String>, offset: usize) -> Self {
        XmlError {
            message: message.into(),
            range: Some(TextRange::empty(offset)),
            declares_entities: false,
        }
    }
}

/// Parses `text` into a tree. The text must already be decoded (see `files::decode`).
pub fn parse(text: &str) -> Result<XmlDocument, XmlError> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = true;
    config.expand_empty_elements = false;

    let mut stack: Vec<XmlElement> = Vec::new();
    let mut root: Option<XmlElement> = None;
    loop {
        let start = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let offset = (reader.error_position() as usize).min(text.len());
                return Err(XmlError::at(format!("malformed XML: {error}"), offset));
            }
        };
        let end = (reader.buffer_position() as usize).min(text.len());
        match event {
            Event::DocType(doctype) => {
                let body = String::from_utf8_lossy(doctype.as_ref());
                if body.contains("<!ENTITY") {
                    return Err(XmlError {
                        message: "the DOCTYPE declares XML entities; Dockside never expands \
                                  entities, so this file is skipped"
                            .to_string(),
                        range: Some(TextRange::new(start, end)),
                        declares_entities: true,
                    });
                }
            }
            Event::Start(tag) => {
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(XmlError::at(
                        format!("elements are nested more than {MAX_XML_DEPTH} levels deep"),
                        start,
                    ));
                }
                if root.is_some() && stack.is_empty() {
                    return Err(XmlError::at("more than one root element", start));
                }
                let element = open_element(text, &tag, start)?;
                stack.push(element);
            }
            Event::Empty(tag) => {
                let mut element = open_element(text, &tag, start)?;
                element.range = TextRange::new(start, end);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(XmlError::at("more than one root element", start)),
                }
            }
            Event::End(_) => {
                let Some(mut element) = stack.pop() else {
                    return Err(XmlError::at("closing tag without an opening tag", start));
                };
                element.range = TextRange::new(element.range.start(), end);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(content) => {
                let Some(parent) = stack.last_mut() else {
                    continue;
                };
                let decoded = content
                    .unescape()
                    .map_err(|error| XmlError::at(format!("malformed XML text: {error}"), start))?;
                append_text(parent, &decoded, start, end);
            }
            Event::CData(content) => {
                let Some(parent) = stack.last_mut() else {
                    continue;
                };
                let decoded = String::from_utf8_lossy(content.as_ref()).into_owned();
                append_text(parent, &decoded, start, end);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError::at(
            format!("unexpected end of file: <{}> is not closed", open.name),
            text.len(),
        ));
    }
    match root {
        Some(root) => Ok(XmlDocument { root }),
        None => Err(XmlError::at("the file has no root element", 0)),
    }
}

fn append_text(parent: &mut XmlElement, decoded: &str, start: usize, end: usize) {
    parent.text.push_str(decoded);
    let range = TextRange::new(start, end);
    parent.text_range = Some(match parent.text_range {
        Some(existing) => existing.cover(range),
        None => range,
    });
}

fn open_element(text: &str, tag: &BytesStart, start: usize) -> Result<XmlElement, XmlError> {
    let name = String::from_utf8_lossy(tag.local_name().as_ref()).into_owned();
    let raw_name_len = tag.name().as_ref().len();
    let name_range = TextRange::new(start + 1, (start + 1 + raw_name_len).min(text.len()));
    let mut element = XmlElement::new(name, name_range, start);
    for attribute in tag.attributes() {
        let attribute = attribute
            .map_err(|error| XmlError::at(format!("malformed XML attribute: {error}"), start))?;
        let name = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
        let value_range = offset_in(text, attribute.value.as_ref())
            .map(|offset| TextRange::new(offset, offset + attribute.value.len()))
            .unwrap_or(name_range);
        let value = attribute
            .unescape_value()
            .map_err(|error| {
                XmlError::at(
                    format!("malformed XML attribute value: {error}"),
                    value_range.start(),
                )
            })?
            .into_owned();
        element.attributes.push(XmlAttribute {
            name,
            value,
            value_range,
        });
    }
    Ok(element)
}

/// Where `slice` starts inside `text`, when it is a sub-slice of it (quick-xml borrows
/// attribute values from the input when reading from a `&str`).
fn offset_in(text: &str, slice: &[u8]) -> Option<usize> {
    let base = text.as_ptr() as usize;
    let at = slice.as_ptr() as usize;
    if at >= base && at + slice.len() <= base + text.len() {
        Some(at - base)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_elements_attributes_and_ranges() {
        let text = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <A>x &amp; y</A>\n  </PropertyGroup>\n</Project>";
        let doc = parse(text).unwrap();
        assert_eq!(doc.root.name, "Project");
        let sdk = doc.root.attribute("sdk").unwrap();
        assert_eq!(sdk.value, "Microsoft.NET.Sdk");
        assert_eq!(&text[sdk.value_range.as_range()], "Microsoft.NET.Sdk");
        let a = &doc.root.children[0].children[0];
        assert_eq!(a.name, "A");
        assert_eq!(a.text, "x & y");
        assert_eq!(&text[a.range.as_range()], "<A>x &amp; y</A>");
        assert_eq!(&text[a.name_range.as_range()], "A");
        assert_eq!(doc.root.range, TextRange::new(0, text.len()));
    }

    #[test]
    fn namespaces_are_stripped_from_names() {
        let doc = parse("<Project xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\"><x:B xmlns:x=\"u\"/></Project>").unwrap();
        assert_eq!(doc.root.children[0].name, "B");
    }

    #[test]
    fn mismatched_end_tag_is_an_error_with_position() {
        let text = "<Project>\n<PropertyGroup></PropertyGrup>\n</Project>";
        let error = parse(text).unwrap_err();
        assert!(error.message.contains("PropertyGrup"), "{}", error.message);
        assert!(!error.declares_entities);
        assert!(error.range.is_some());
    }

    #[test]
    fn doctype_with_entities_is_rejected_without_expansion() {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n <!ENTITY lol2 \"&lol;&lol;&lol;\">\n]>\n<Project><PropertyGroup><A>&lol2;</A></PropertyGroup></Project>";
        let error = parse(text).unwrap_err();
        assert!(error.declares_entities);
        let range = error.range.unwrap();
        assert!(text[range.as_range()].starts_with("<!DOCTYPE lolz"));
    }

    #[test]
    fn undeclared_entity_reference_is_an_error() {
        let error = parse("<Project><A>&foo;</A></Project>").unwrap_err();
        assert!(
            error.message.contains("malformed XML text"),
            "{}",
            error.message
        );
    }

    #[test]
    fn unclosed_root_and_empty_input_are_errors() {
        assert!(parse("<Project><A>")
            .unwrap_err()
            .message
            .contains("not closed"));
        assert_eq!(
            parse("").unwrap_err().message,
            "the file has no root element"
        );
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let text = "<a>".repeat(MAX_XML_DEPTH + 1);
        assert!(parse(&text).unwrap_err().message.contains("nested"));
    }
}
