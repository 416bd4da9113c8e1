//! Registry look-ups in the language server, opt-in with `registry.enabled`.
//!
//! Nothing here waits for the network. A document's analysis, hovers and inlay hints read the
//! answers cached so far (through [`crate::analysis::AnalysisEnv::registry`]) and queue
//! background look-ups for the `FROM` images whose answer is missing or stale. Each finished
//! look-up comes back to the main loop as [`WorkspaceEvent::RegistryAnswer`]; the server then
//! analyses the open documents again (for ImageNotFoundInRegistry) and asks the client to
//! refresh its inlay hints, so the next hover and inlay hint show the live answer.
//!
//! With look-ups off no [`RegistryService`] is created ([`RegistryState::service_for`] is the
//! only place one comes to be), so no socket can be opened.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::Sender;

use super::workspace::WorkspaceEvent;
use crate::analysis::Analysis;
use crate::config::Config;
use crate::ide::catalog_images::CatalogImages;
use crate::ide::image_hover::stage_reference;
use crate::ide::{ImageProvider, ImageSuggestion};
use crate::images::registry::{RegistryLookup, RegistryOptions, RegistryService};
use crate::images::ImageRef;

/// The look-up services of the open documents' configurations: one per distinct set of
/// insecure registries and cache time-to-live (almost always exactly one).
pub(crate) struct RegistryState {
    services: HashMap<ServiceKey, Arc<RegistryService>>,
    events: Sender<WorkspaceEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ServiceKey {
    insecure: Vec<String>,
    ttl: Duration,
}

impl ServiceKey {
    fn of(config: &Config) -> ServiceKey {
        let mut insecure = config.insecure_registries.clone();
        insecure.sort();
        insecure.dedup();
        ServiceKey {
            insecure,
            ttl: config.registry_cache_ttl,
        }
    }
}

impl RegistryState {
    pub(crate) fn new(events: Sender<WorkspaceEvent>) -> RegistryState {
        RegistryState {
            services: HashMap::new(),
            events,
        }
    }

    /// The service for a document's configuration; `None` when look-ups are off.
    pub(crate) fn service_for(&mut self, config: &Config) -> Option<Arc<RegistryService>> {
        if !config.registry_enabled {
            return None;
        }
        let key = ServiceKey::of(config);
        if let Some(service) = self.services.get(&key) {
            return Some(Arc::clone(service));
        }
        let events = self.events.clone();
        let service = Arc::new(RegistryService::with_sink(
            &key.insecure,
            RegistryOptions {
                ttl: key.ttl,
                ..RegistryOptions::default()
            },
            move |completion| {
                // Fails only when the server has stopped.
                let _ = events.send(WorkspaceEvent::RegistryAnswer(completion));
            },
        ));
        self.services.insert(key, Arc::clone(&service));
        Some(service)
    }

    /// Drops the services (the configuration changed). Their threads end; look-ups still under
    /// way are dropped too, and asked again by the next analysis.
    pub(crate) fn clear(&mut self) {
        self.services.clear();
    }
}

/// Queues look-ups for the `FROM` images of a document whose answers are missing or stale
/// (images written with variables without a value are not looked up). Returns how many were
/// queued.
pub(crate) fn request_lookups(service: &RegistryService, analysis: &Analysis) -> usize {
    analysis
        .model
        .stages
        .iter()
        .filter_map(stage_reference)
        .filter(|reference| service.request(reference))
        .count()
}

/// The catalog's image knowledge for completion and the generic hover, with the registry's
/// tag lists added when look-ups are on.
pub(crate) struct RegistryImages {
    catalog: CatalogImages,
    registry: Option<Arc<RegistryService>>,
    /// A completion needed a tag list that is not cached yet; it has been asked for.
    asked_for_tags: Cell<bool>,
}

impl RegistryImages {
    pub(crate) fn new(
        catalog: CatalogImages,
        registry: Option<Arc<RegistryService>>,
    ) -> RegistryImages {
        RegistryImages {
            catalog,
            registry,
            asked_for_tags: Cell::new(false),
        }
    }

    /// A completion asked the registry for a tag list that is on its way, so its list is
    /// incomplete: the client should ask again as the user types on.
    pub(crate) fn asked_for_tags(&self) -> bool {
        self.asked_for_tags.get()
    }
}

impl ImageProvider for RegistryImages {
    fn describe(&self, reference: &str) -> Option<String> {
        self.catalog.describe(reference)
    }

    fn compressed_size(&self, reference: &str) -> Option<u64> {
        self.catalog.compressed_size(reference)
    }

    fn complete_names(&self, prefix: &str) -> Vec<ImageSuggestion> {
        self.catalog.complete_names(prefix)
    }

    /// The catalog's tags (ranked, with sizes) first, then the registry's other tags.
    fn complete_tags(&self, repository: &str, prefix: &str) -> Vec<ImageSuggestion> {
        let mut items = self.catalog.complete_tags(repository, prefix);
        let Some(service) = &self.registry else {
            return items;
        };
        if repository.contains('$') {
            return items;
        }
        let reference = ImageRef::parse(repository);
        if !reference.is_valid() || reference.is_scratch() {
            return items;
        }
        match service.cached_tags(&reference) {
            Some(tags) => {
                let registry = reference.registry().to_string();
                let first_rank = items.len();
                let new_tags: Vec<String> = tags
                    .into_iter()
                    .filter(|tag| tag.starts_with(prefix))
                    .filter(|tag| !items.iter().any(|item| &item.label == tag))
                    .collect();
                items.extend(new_tags.into_iter().enumerate().map(|(index, tag)| {
                    ImageSuggestion {
                        label: tag,
                        detail: Some(format!("tag in {registry}")),
                        documentation: None,
                        rank: u32::try_from(first_rank + index).unwrap_or(u32::MAX),
                    }
                }));
            }
            None => {
                service.request(&reference);
                self.asked_for_tags.set(true);
            }
        }
        items
    }
}
