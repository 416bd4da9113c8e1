//! Best-effort MSBuild evaluation without MSBuild.
//!
//! Follows MSBuild's two passes: pass 1 walks the project and its imports in document order
//! evaluating properties, imports and `Choose`; pass 2 evaluates the collected items with the
//! final property values. Directory.Build.props and Directory.Packages.props are imported
//! before the project body (where `Sdk.props` would import them), Directory.Build.targets
//! after it. SDK and toolset files themselves are never read.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::condition;
use super::diagnostic::{WorkspaceDiagnostic, WorkspaceDiagnosticKind};
use super::expand::{find_file_above, Expander, Expansion};
use super::files::FileStore;
use super::paths;
use super::project::{
    FrameworkReference, ItemCondition, PackageReference, Project, ProjectId, ProjectLanguage,
    ProjectReference, SdkReference, VersionSource,
};
use super::properties::{parse_bool, split_list, Location, PropertyBag};
use super::xml::XmlElement;
use crate::analysis::Severity;
use crate::text::TextRange;

/// A project may import at most this many files (each file once).
const MAX_IMPORTS: usize = 512;
/// Imports nested deeper than this are not followed.
const MAX_IMPORT_DEPTH: usize = 32;

/// Inputs to evaluation besides the files.
#[derive(Clone, Debug, Default)]
pub struct EvaluationOptions {
    /// Global properties (as `dotnet build -p:Name=Value` sets them); they cannot be
    /// overridden by the project. Example: `Configuration=Release`.
    pub global_properties: Vec<(String, String)>,
}

/// Item types whose values Dockside reads; all others are skipped in pass 1.
const ITEM_TYPES: [&str; 5] = [
    "PackageReference",
    "PackageVersion",
    "GlobalPackageReference",
    "FrameworkReference",
    "ProjectReference",
];

#[derive(Clone, Debug)]
struct PendingMetadata {
    name: String,
    value: String,
    condition: Option<String>,
}

/// An item element collected in pass 1, evaluated in pass 2.
#[derive(Clone, Debug)]
struct PendingItem {
    item_type: &'static str,
    include: Option<String>,
    update: Option<String>,
    remove: Option<String>,
    conditions: Vec<String>,
    metadata: Vec<PendingMetadata>,
    file: Arc<Path>,
    range: TextRange,
}

#[derive(Clone, Debug)]
struct Item {
    item_type: &'static str,
    spec: String,
    metadata: Vec<(String, String)>,
    condition: ItemCondition,
    location: Location,
}

impl Item {
    fn metadata(&self, name: &str) -> Option<&str> {
        self.metadata
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

struct Evaluator<'a> {
    fs: &'a mut FileStore,
    project_path: Arc<Path>,
    project_dir: PathBuf,
    properties: PropertyBag,
    global_names: HashSet<String>,
    pending_items: Vec<PendingItem>,
    inputs: Vec<PathBuf>,
    probes: Vec<PathBuf>,
    diagnostics: Vec<WorkspaceDiagnostic>,
    import_stack: Vec<PathBuf>,
    imported: HashSet<PathBuf>,
    sdks: Vec<SdkReference>,
    props_point_done: bool,
    targets_point_done: bool,
}

/// Evaluates one project file. Never fails: problems become diagnostics on the result.
pub fn evaluate_project(
    id: ProjectId,
    path: &Path,
    fs: &mut FileStore,
    options: &EvaluationOptions,
) -> Project {
    let project_path: Arc<Path> = Arc::from(path);
    let project_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut evaluator = Evaluator {
        fs,
        project_path: project_path.clone(),
        project_dir,
        properties: PropertyBag::default(),
        global_names: HashSet::default(),
        pending_items: Vec::new(),
        inputs: Vec::new(),
        probes: Vec::new(),
        diagnostics: Vec::new(),
        import_stack: Vec::new(),
        imported: HashSet::default(),
        sdks: Vec::new(),
        props_point_done: false,
        targets_point_done: false,
    };
    evaluator.set_reserved_properties(options);

    let document = evaluator.fs.xml(path);
    let evaluated = match document {
        Ok(document) => {
            evaluator.evaluate_root(&document.root);
            true
        }
        Err(diagnostic) => {
            evaluator.diagnostics.push(diagnostic);
            false
        }
    };
    let items = evaluator.evaluate_items();
    evaluator.build_project(id, evaluated, items)
}

impl Evaluator<'_> {
    fn set_reserved_properties(&mut self, options: &EvaluationOptions) {
        let path = self.project_path.clone();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let directory = self.project_dir.to_string_lossy().into_owned();
        let reserved = [
            (
                "MSBuildProjectFullPath",
                path.to_string_lossy().into_owned(),
            ),
            ("MSBuildProjectDirectory", directory.clone()),
            (
                "MSBuildProjectDirectoryNoRoot",
                directory.trim_start_matches('/').to_string(),
            ),
            ("MSBuildProjectFile", file_name),
            ("MSBuildProjectName", paths::file_stem(&path)),
            (
                "MSBuildProjectExtension",
                path.extension()
                    .map(|e| format!(".{}", e.to_string_lossy()))
                    .unwrap_or_default(),
            ),
            // Container builds run on Linux; conditions on $(OS) are evaluated for it.
            ("OS", "Unix".to_string()),
        ];
        for (name, value) in reserved {
            self.properties.set(name, value, None);
        }
        for (name, value) in &options.global_properties {
            self.properties.set(name, value.clone(), None);
            self.global_names.insert(name.to_ascii_lowercase());
        }
    }

    fn expand(&mut self, text: &str, file: &Arc<Path>, range: TextRange) -> Expansion {
        let expansion = Expander {
            properties: &self.properties,
            this_file: file,
            project_dir: &self.project_dir,
            fs: self.fs,
            probes: &mut self.probes,
        }
        .expand(text);
        for unsupported in &expansion.unsupported {
            self.note_unsupported(
                file,
                range,
                format!("{unsupported} is not evaluated; it was taken as empty"),
            );
        }
        expansion
    }

    /// Evaluates a condition; an unknown result is reported and taken as false (pass 1).
    fn condition_holds(&mut self, element: &XmlElement, file: &Arc<Path>, base_dir: &Path) -> bool {
        let Some(attribute) = element.attribute("Condition") else {
            return true;
        };
        let text = attribute.value.clone();
        let range = attribute.value_range;
        match self.evaluate_condition(&text, file, base_dir) {
            Ok(value) => value,
            Err(reason) => {
                self.note_unsupported(
                    file,
                    range,
                    format!("condition \"{text}\" was not evaluated ({reason}); taken as false"),
                );
                false
            }
        }
    }

    fn evaluate_condition(
        &mut self,
        text: &str,
        file: &Arc<Path>,
        base_dir: &Path,
    ) -> Result<bool, String> {
        let mut expander = Expander {
            properties: &self.properties,
            this_file: file,
            project_dir: &self.project_dir,
            fs: self.fs,
            probes: &mut self.probes,
        };
        condition::evaluate(text, &mut expander, base_dir)
    }

    fn note_unsupported(&mut self, file: &Path, range: TextRange, message: String) {
        let duplicate = self
            .diagnostics
            .iter()
            .any(|d| d.range == Some(range) && d.path == file && d.message == message);
        if !duplicate {
            self.diagnostics.push(WorkspaceDiagnostic::new(
                file,
                Some(range),
                Severity::Info,
                WorkspaceDiagnosticKind::UnsupportedExpression,
                message,
            ));
        }
    }

    fn evaluate_root(&mut self, root: &XmlElement) {
        let file = self.project_path.clone();
        if !root.is("Project") {
            self.diagnostics.push(WorkspaceDiagnostic::new(
                &*file,
                Some(root.name_range),
                Severity::Error,
                WorkspaceDiagnosticKind::MalformedXml,
                format!("the root element is <{}>, not <Project>", root.name),
            ));
            return;
        }
        if let Some(sdk) = root.attribute("Sdk") {
            for entry in sdk.value.split(';') {
                self.add_sdk(entry, &file, sdk.value_range);
            }
        }
        for child in root.children_named("Sdk") {
            if let Some(name) = child.attribute("Name") {
                let version = child.attribute_value("Version").map(str::to_string);
                self.sdks.push(SdkReference {
                    name: name.value.trim().to_string(),
                    version,
                    location: Location::new(&file, name.value_range),
                });
            }
        }
        let sdk_style = !self.sdks.is_empty();
        self.import_stack.push(file.to_path_buf());
        if sdk_style {
            self.directory_build_props_point();
        }
        self.walk_children(root, &file);
        if sdk_style {
            self.directory_build_targets_point();
        }
        self.import_stack.pop();
    }

    fn add_sdk(&mut self, entry: &str, file: &Arc<Path>, range: TextRange) {
        let entry = entry.trim();
        if entry.is_empty() {
            return;
        }
        let (name, version) = match entry.split_once('/') {
            Some((name, version)) => (name.trim(), Some(version.trim().to_string())),
            None => (entry, None),
        };
        if self.sdks.iter().any(|s| s.name.eq_ignore_ascii_case(name)) {
            return;
        }
        self.sdks.push(SdkReference {
            name: name.to_string(),
            version,
            location: Location::new(file, range),
        });
    }

    /// Pass 1 over the children of a `<Project>` (or `<When>`/`<Otherwise>`).
    fn walk_children(&mut self, parent: &XmlElement, file: &Arc<Path>) {
        let project_dir = self.project_dir.clone();
        let file_dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        for element in &parent.children {
            let name = element.name.to_ascii_lowercase();
            match name.as_str() {
                "propertygroup" => {
                    if !self.condition_holds(element, file, &project_dir) {
                        continue;
                    }
                    for property in &element.children {
                        self.set_property(property, file, &project_dir);
                    }
                }
                "itemgroup" => {
                    let group_condition = element.attribute_value("Condition").map(str::to_string);
                    for item in &element.children {
                        self.collect_item(item, group_condition.as_deref(), file);
                    }
                }
                "import" => self.import(element, file, &file_dir),
                "importgroup" => {
                    if !self.condition_holds(element, file, &file_dir) {
                        continue;
                    }
                    for import in element.children_named("Import") {
                        self.import(import, file, &file_dir);
                    }
                }
                "choose" => self.choose(element, file),
                // Targets run at build time, not evaluation; the rest has no facts we use.
                _ => {}
            }
        }
    }

    fn choose(&mut self, element: &XmlElement, file: &Arc<Path>) {
        let project_dir = self.project_dir.clone();
        for branch in &element.children {
            if branch.is("When") {
                if self.condition_holds(branch, file, &project_dir) {
                    self.walk_children(branch, file);
                    return;
                }
            } else if branch.is("Otherwise") {
                self.walk_children(branch, file);
                return;
            }
        }
    }

    fn set_property(&mut self, element: &XmlElement, file: &Arc<Path>, base_dir: &Path) {
        if !self.condition_holds(element, file, base_dir) {
            return;
        }
        let name = element.name.clone();
        if self.global_names.contains(&name.to_ascii_lowercase()) {
            return;
        }
        let range = element.text_range.unwrap_or(element.range);
        let value = self.expand(&element.text, file, range).value;
        self.properties.set(
            &name,
            value.trim().to_string(),
            Some(Location::new(file, element.range)),
        );
    }

    fn collect_item(
        &mut self,
        element: &XmlElement,
        group_condition: Option<&str>,
        file: &Arc<Path>,
    ) {
        let Some(item_type) = ITEM_TYPES
            .iter()
            .find(|t| element.name.eq_ignore_ascii_case(t))
        else {
            return;
        };
        let mut conditions = Vec::new();
        if let Some(condition) = group_condition {
            conditions.push(condition.to_string());
        }
        if let Some(condition) = element.attribute_value("Condition") {
            conditions.push(condition.to_string());
        }
        let mut metadata = Vec::new();
        for attribute in &element.attributes {
            let reserved = ["Include", "Update", "Remove", "Exclude", "Condition"];
            if !reserved
                .iter()
                .any(|r| attribute.name.eq_ignore_ascii_case(r))
            {
                metadata.push(PendingMetadata {
                    name: attribute.name.clone(),
                    value: attribute.value.clone(),
                    condition: None,
                });
            }
        }
        for child in &element.children {
            metadata.push(PendingMetadata {
                name: child.name.clone(),
                value: child.text.clone(),
                condition: child.attribute_value("Condition").map(str::to_string),
            });
        }
        let attribute = |name: &str| element.attribute_value(name).map(str::to_string);
        self.pending_items.push(PendingItem {
            item_type,
            include: attribute("Include"),
            update: attribute("Update"),
            remove: attribute("Remove"),
            conditions,
            metadata,
            file: file.clone(),
            range: element.range,
        });
    }

    fn import(&mut self, element: &XmlElement, file: &Arc<Path>, file_dir: &Path) {
        let project_attribute = element.attribute("Project");
        let project_text = project_attribute
            .map(|a| a.value.clone())
            .unwrap_or_default();
        if let Some(sdk) = element.attribute("Sdk") {
            let (sdk_name, sdk_range) = (sdk.value.clone(), sdk.value_range);
            self.add_sdk(&sdk_name, file, sdk_range);
            let lower = project_text.trim().to_ascii_lowercase();
            if lower == "sdk.props" {
                self.directory_build_props_point();
            } else if lower == "sdk.targets" {
                self.directory_build_targets_point();
            }
            return;
        }
        if !self.condition_holds(element, file, file_dir) {
            return;
        }
        let Some(attribute) = project_attribute else {
            return;
        };
        let value_range = attribute.value_range;
        let expansion = self.expand(&project_text, file, value_range);
        for entry in split_list(&expansion.value) {
            let lower = entry.to_ascii_lowercase().replace('\\', "/");
            if lower.ends_with("/microsoft.common.props") {
                self.directory_build_props_point();
                continue;
            }
            let common_targets = [
                "/microsoft.common.targets",
                "/microsoft.csharp.targets",
                "/microsoft.visualbasic.targets",
                "/microsoft.fsharp.targets",
            ];
            if common_targets.iter().any(|t| lower.ends_with(t)) {
                self.directory_build_targets_point();
                continue;
            }
            if entry.contains('*') || entry.contains('?') {
                self.note_unsupported(
                    file,
                    value_range,
                    format!("wildcard import \"{entry}\" is not followed"),
                );
                continue;
            }
            let target = paths::resolve(file_dir, &entry);
            self.probes.push(target.clone());
            if !self.fs.exists(&target) {
                // An undefined property in the path means a toolset or SDK location
                // ($(MSBuildExtensionsPath), $(VSToolsPath)...), which is not in the workspace.
                if !expansion.undefined_property {
                    self.diagnostics.push(WorkspaceDiagnostic::new(
                        &**file,
                        Some(value_range),
                        Severity::Warning,
                        WorkspaceDiagnosticKind::ImportNotFound,
                        format!("imported project \"{}\" was not found", target.display()),
                    ));
                }
                continue;
            }
            self.import_file(&target, Some(Location::new(file, value_range)));
        }
    }

    fn import_file(&mut self, target: &Path, via: Option<Location>) {
        if self.import_stack.iter().any(|p| p == target) {
            if let Some(via) = via {
                self.diagnostics.push(WorkspaceDiagnostic::new(
                    via.path_buf(),
                    Some(via.range),
                    Severity::Warning,
                    WorkspaceDiagnosticKind::ImportCycle,
                    format!(
                        "\"{}\" imports itself (directly or indirectly); the import is skipped",
                        target.display()
                    ),
                ));
            }
            return;
        }
        // MSBuild ignores a second import of the same file (warning MSB4011).
        if !self.imported.insert(target.to_path_buf()) {
            return;
        }
        if self.imported.len() > MAX_IMPORTS || self.import_stack.len() > MAX_IMPORT_DEPTH {
            if let Some(via) = via {
                self.diagnostics.push(WorkspaceDiagnostic::new(
                    via.path_buf(),
                    Some(via.range),
                    Severity::Warning,
                    WorkspaceDiagnosticKind::ImportCycle,
                    format!(
                        "too many or too deeply nested imports; \"{}\" is skipped",
                        target.display()
                    ),
                ));
            }
            return;
        }
        self.inputs.push(target.to_path_buf());
        let document = match self.fs.xml(target) {
            Ok(document) => document,
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                return;
            }
        };
        let file: Arc<Path> = Arc::from(target);
        if !document.root.is("Project") {
            self.diagnostics.push(WorkspaceDiagnostic::new(
                target,
                Some(document.root.name_range),
                Severity::Error,
                WorkspaceDiagnosticKind::MalformedXml,
                format!(
                    "the root element is <{}>, not <Project>; the file is skipped",
                    document.root.name
                ),
            ));
            return;
        }
        self.import_stack.push(target.to_path_buf());
        self.walk_children(&document.root, &file);
        self.import_stack.pop();
    }

    /// Where Microsoft.Common.props imports Directory.Build.props, then (NuGet) Directory.Packages.props.
    fn directory_build_props_point(&mut self) {
        if self.props_point_done {
            return;
        }
        self.props_point_done = true;
        if parse_bool(self.properties.value("ImportDirectoryBuildProps")) != Some(false) {
            if let Some(path) =
                self.well_known_file("DirectoryBuildPropsPath", "Directory.Build.props")
            {
                self.import_file(&path, None);
            }
        }
        if parse_bool(self.properties.value("ImportDirectoryPackagesProps")) != Some(false) {
            if let Some(path) =
                self.well_known_file("DirectoryPackagesPropsPath", "Directory.Packages.props")
            {
                self.import_file(&path, None);
            }
        }
        if !self.sdks.is_empty() {
            for (name, default) in [("Configuration", "Debug"), ("Platform", "AnyCPU")] {
                if self.properties.value(name).is_empty() {
                    self.properties.set(name, default.to_string(), None);
                }
            }
        }
    }

    fn directory_build_targets_point(&mut self) {
        if self.targets_point_done {
            return;
        }
        self.targets_point_done = true;
        if parse_bool(self.properties.value("ImportDirectoryBuildTargets")) != Some(false) {
            if let Some(path) =
                self.well_known_file("DirectoryBuildTargetsPath", "Directory.Build.targets")
            {
                self.import_file(&path, None);
            }
        }
    }

    /// The path given by `override_property`, else the nearest `file_name` above the project.
    /// Sets the property as MSBuild does.
    fn well_known_file(&mut self, override_property: &str, file_name: &str) -> Option<PathBuf> {
        let explicit = self.properties.value(override_property).trim().to_string();
        let path = if explicit.is_empty() {
            let start = self.project_dir.clone();
            find_file_above(self.fs, &mut self.probes, &start, file_name)?
        } else {
            let path = paths::resolve(&self.project_dir, &explicit);
            self.probes.push(path.clone());
            if !self.fs.exists(&path) {
                return None;
            }
            path
        };
        if !self
            .global_names
            .contains(&override_property.to_ascii_lowercase())
        {
            self.properties
                .set(override_property, path.to_string_lossy().into_owned(), None);
        }
        Some(path)
    }

    /// Pass 2: items, with the final property values.
    fn evaluate_items(&mut self) -> Vec<Item> {
        let pending = std::mem::take(&mut self.pending_items);
        let project_dir = self.project_dir.clone();
        let mut items: Vec<Item> = Vec::new();
        for item in pending {
            let condition = self.item_condition(&item, &project_dir);
            let location = Location::new(&item.file, item.range);
            if let Some(include) = &item.include {
                let include = self.expand(include, &item.file, item.range).value;
                let metadata = self.item_metadata(&item, &project_dir);
                for spec in split_list(&include) {
                    items.push(Item {
                        item_type: item.item_type,
                        spec,
                        metadata: metadata.clone(),
                        condition: condition.clone(),
                        location: location.clone(),
                    });
                }
            } else if let Some(update) = &item.update {
                if !condition.applies() {
                    continue;
                }
                let update = self.expand(update, &item.file, item.range).value;
                let targets = split_list(&update);
                let metadata = self.item_metadata(&item, &project_dir);
                for existing in items.iter_mut().filter(|i| i.item_type == item.item_type) {
                    if targets
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(&existing.spec))
                    {
                        existing.metadata.extend(metadata.iter().cloned());
                    }
                }
            } else if let Some(remove) = &item.remove {
                if !condition.applies() {
                    continue;
                }
                let remove = self.expand(remove, &item.file, item.range).value;
                let targets = split_list(&remove);
                items.retain(|existing| {
                    existing.item_type != item.item_type
                        || !targets
                            .iter()
                            .any(|t| t.eq_ignore_ascii_case(&existing.spec))
                });
            }
        }
        items
    }

    fn item_condition(&mut self, item: &PendingItem, base_dir: &Path) -> ItemCondition {
        if item.conditions.is_empty() {
            return ItemCondition {
                text: None,
                holds: Some(true),
            };
        }
        let mut holds = Some(true);
        for text in &item.conditions {
            match self.evaluate_condition(text, &item.file, base_dir) {
                Ok(false) => {
                    holds = Some(false);
                    break;
                }
                Ok(true) => {}
                Err(reason) => {
                    self.note_unsupported(
                        &item.file.clone(),
                        item.range,
                        format!("condition \"{text}\" was not evaluated ({reason})"),
                    );
                    holds = None;
                }
            }
        }
        let text = if item.conditions.len() == 1 {
            item.conditions[0].clone()
        } else {
            item.conditions
                .iter()
                .map(|c| format!("({})", c.trim()))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        ItemCondition {
            text: Some(text),
            holds,
        }
    }

    fn item_metadata(&mut self, item: &PendingItem, base_dir: &Path) -> Vec<(String, String)> {
        let mut metadata = Vec::with_capacity(item.metadata.len());
        for entry in &item.metadata {
            if let Some(condition) = &entry.condition {
                if self.evaluate_condition(condition, &item.file, base_dir) != Ok(true) {
                    continue;
                }
            }
            let value = self.expand(&entry.value, &item.file, item.range).value;
            metadata.push((entry.name.clone(), value.trim().to_string()));
        }
        metadata
    }

    fn build_project(mut self, id: ProjectId, evaluated: bool, items: Vec<Item>) -> Project {
        let props = &self.properties;
        let text = |name: &str| {
            let value = props.value(name).trim();
            (!value.is_empty()).then(|| value.to_string())
        };
        let flag = |name: &str| parse_bool(props.value(name));

        let mut target_frameworks = split_list(props.value("TargetFrameworks"));
        if target_frameworks.is_empty() {
            if let Some(single) = text("TargetFramework") {
                target_frameworks.push(single);
            } else if let Some(legacy) = text("TargetFrameworkVersion") {
                target_frameworks.push(format!(
                    "net{}",
                    legacy.trim_start_matches(['v', 'V']).replace('.', "")
                ));
            }
        }
        let mut runtime_identifiers = split_list(props.value("RuntimeIdentifiers"));
        if let Some(rid) = text("RuntimeIdentifier") {
            if !runtime_identifiers
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&rid))
            {
                runtime_identifiers.insert(0, rid);
            }
        }
        let central_package_management = flag("ManagePackageVersionsCentrally") == Some(true);

        let mut central_versions: HashMap<String, (String, Location)> = HashMap::default();
        for item in items
            .iter()
            .filter(|i| i.item_type == "PackageVersion" && i.condition.applies())
        {
            if let Some(version) = item.metadata("Version") {
                central_versions.insert(
                    item.spec.to_ascii_lowercase(),
                    (version.to_string(), item.location.clone()),
                );
            }
        }

        let mut package_references = Vec::new();
        let mut framework_references = Vec::new();
        let mut project_references = Vec::new();
        for item in &items {
            match item.item_type {
                "PackageReference" => {
                    let inline = item.metadata("Version").filter(|v| !v.is_empty());
                    let override_version =
                        item.metadata("VersionOverride").filter(|v| !v.is_empty());
                    let (version, version_source) = if central_package_management {
                        if let Some(v) = override_version {
                            (Some(v.to_string()), VersionSource::Override)
                        } else if let Some(v) = inline {
                            (Some(v.to_string()), VersionSource::Inline)
                        } else if let Some((v, location)) =
                            central_versions.get(&item.spec.to_ascii_lowercase())
                        {
                            (Some(v.clone()), VersionSource::Central(location.clone()))
                        } else {
                            (None, VersionSource::Missing)
                        }
                    } else {
                        match inline {
                            Some(v) => (Some(v.to_string()), VersionSource::Inline),
                            None => (None, VersionSource::Missing),
                        }
                    };
                    package_references.push(PackageReference {
                        name: item.spec.clone(),
                        version,
                        version_source,
                        condition: item.condition.clone(),
                        location: item.location.clone(),
                    });
                }
                "GlobalPackageReference" if central_package_management => {
                    package_references.push(PackageReference {
                        name: item.spec.clone(),
                        version: item.metadata("Version").map(str::to_string),
                        version_source: VersionSource::Global,
                        condition: item.condition.clone(),
                        location: item.location.clone(),
                    });
                }
                "FrameworkReference" => framework_references.push(FrameworkReference {
                    name: item.spec.clone(),
                    condition: item.condition.clone(),
                    location: item.location.clone(),
                }),
                "ProjectReference" => {
                    let path = paths::resolve(&self.project_dir, &item.spec);
                    self.probes.push(path.clone());
                    let target_exists = self.fs.exists(&path);
                    if !target_exists && item.condition.applies() {
                        self.diagnostics.push(WorkspaceDiagnostic::new(
                            item.location.path_buf(),
                            Some(item.location.range),
                            Severity::Warning,
                            WorkspaceDiagnosticKind::MissingProjectReference,
                            format!("referenced project \"{}\" does not exist", path.display()),
                        ));
                    }
                    project_references.push(ProjectReference {
                        include: item.spec.clone(),
                        path,
                        target_exists,
                        condition: item.condition.clone(),
                        location: item.location.clone(),
                    });
                }
                _ => {}
            }
        }

        let props = &self.properties;
        let text = |name: &str| {
            let value = props.value(name).trim();
            (!value.is_empty()).then(|| value.to_string())
        };
        let flag = |name: &str| parse_bool(props.value(name));
        let path = self.project_path.to_path_buf();
        Project {
            id,
            name: paths::file_stem(&path),
            language: ProjectLanguage::from_path(&path),
            evaluated,
            sdks: self.sdks,
            target_frameworks,
            assembly_name: text("AssemblyName").unwrap_or_else(|| paths::file_stem(&path)),
            output_type: text("OutputType"),
            runtime_identifiers,
            self_contained: flag("SelfContained"),
            publish_self_contained: flag("PublishSelfContained"),
            publish_aot: flag("PublishAot"),
            publish_trimmed: flag("PublishTrimmed"),
            publish_single_file: flag("PublishSingleFile"),
            use_app_host: flag("UseAppHost"),
            invariant_globalization: flag("InvariantGlobalization"),
            central_package_management,
            framework_references,
            package_references,
            project_references,
            dockerfile_context: text("DockerfileContext"),
            container_base_image: text("ContainerBaseImage"),
            container_family: text("ContainerFamily"),
            inputs: self.inputs,
            probes: self.probes,
            diagnostics: self.diagnostics,
            properties: self.properties,
            path,
        }
    }
}
