//! The synchronous face of registry look-ups. One background thread runs a tokio runtime and
//! the [`Fetcher`]; callers read the cache without waiting ([`RegistryService::cached`]),
//! queue look-ups ([`RegistryService::request`], answered on [`RegistryService::completions`])
//! or wait for one ([`RegistryService::lookup_blocking`], the command line).
//!
//! Failures put their registry in exponential back-off (2 s doubling up to 10 min): queued
//! requests for it are not even sent until then, so a registry that is down costs one log line
//! per attempt, not one per keystroke.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use super::cache::{DiskCache, DEFAULT_TTL};
use super::credentials::DockerCredentials;
use super::fetch::{Fetcher, Target};
use super::{
    lookup_key, now_unix, repository_tags, repository_tags_among, LookupError, LookupErrorKind,
    RegistryLookup, RemoteImage, RemoteLookup,
};
use crate::config::Config;
use crate::images::reference::ImageRef;

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
pub const DEFAULT_MAX_IN_FLIGHT: usize = 4;
const BACKOFF_FIRST: Duration = Duration::from_secs(2);
const BACKOFF_MAX: Duration = Duration::from_secs(10 * 60);

/// Tuning and locations; [`Default`] is what the editor uses.
#[derive(Clone, Debug)]
pub struct RegistryOptions {
    /// `None`: [`DiskCache::default_dir`].
    pub cache_dir: Option<PathBuf>,
    pub ttl: Duration,
    /// Per HTTP exchange.
    pub timeout: Duration,
    pub max_in_flight: usize,
    /// `None`: `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`.
    pub docker_config: Option<PathBuf>,
    /// Write a line to stderr for each failed look-up (the editor's server log). The command
    /// line prints the error itself instead.
    pub log_failures: bool,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        RegistryOptions {
            cache_dir: None,
            ttl: DEFAULT_TTL,
            timeout: DEFAULT_TIMEOUT,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            docker_config: None,
            log_failures: true,
        }
    }
}

/// A finished look-up queued with [`RegistryService::request`].
#[derive(Clone, Debug)]
pub struct Completion {
    /// The look-up key (`registry/repository:tag`), see [`lookup_key`].
    pub key: String,
    pub result: Result<RemoteLookup, LookupError>,
}

struct Job {
    key: String,
    target: Target,
    /// Answer here (blocking look-ups) instead of on the completions channel.
    reply: Option<Sender<Result<RemoteLookup, LookupError>>>,
}

#[derive(Default)]
struct Backoff {
    failures: u32,
    until: Option<Instant>,
}

struct Shared {
    disk: DiskCache,
    memory: Mutex<HashMap<String, RemoteLookup>>,
    /// Keys already looked for on disk (hit or miss), so `cached` reads a file at most once.
    disk_checked: Mutex<HashSet<String>>,
    pending: Mutex<HashSet<String>>,
    backoff: Mutex<HashMap<String, Backoff>>,
    log_failures: bool,
    /// Problems reading the Docker config (the look-ups go on without those credentials).
    credential_problems: Vec<String>,
    completions: Sender<Completion>,
    /// Takes finished requests instead of the `completions` channel when set.
    sink: Option<CompletionSink>,
}

type CompletionSink = Box<dyn Fn(Completion) + Send + Sync>;

/// Registry look-ups for one process. Exists only when the user turned them on.
pub struct RegistryService {
    jobs: tokio::sync::mpsc::UnboundedSender<Job>,
    completions: Receiver<Completion>,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for RegistryService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryService")
            .field("cache_dir", &self.shared.disk.dir())
            .finish_non_exhaustive()
    }
}

/// Locks a mutex even if a panicking thread poisoned it; the data are plain maps.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl RegistryService {
    /// The gate: a service only when `registry.enabled` is on. With it off nothing is created,
    /// so no socket can be opened.
    pub fn for_config(config: &Config) -> Option<RegistryService> {
        config
            .registry_enabled
            .then(|| RegistryService::new(config))
    }

    /// A service with the configuration's insecure registries and cache time-to-live.
    pub fn new(config: &Config) -> RegistryService {
        RegistryService::with_options(
            &config.insecure_registries,
            RegistryOptions {
                ttl: config.registry_cache_ttl,
                ..RegistryOptions::default()
            },
        )
    }

    /// A service whose finished [`request`](Self::request)s go to [`completions`](Self::completions).
    pub fn with_options(insecure: &[String], options: RegistryOptions) -> RegistryService {
        RegistryService::start(insecure, options, None)
    }

    /// A service whose finished [`request`](Self::request)s are handed to `sink` on the
    /// look-up thread instead of the [`completions`](Self::completions) channel: the language
    /// server turns them into events of its main loop.
    pub fn with_sink(
        insecure: &[String],
        options: RegistryOptions,
        sink: impl Fn(Completion) + Send + Sync + 'static,
    ) -> RegistryService {
        RegistryService::start(insecure, options, Some(Box::new(sink)))
    }

    fn start(
        insecure: &[String],
        options: RegistryOptions,
        sink: Option<CompletionSink>,
    ) -> RegistryService {
        let cache_dir = options.cache_dir.clone().or_else(DiskCache::default_dir);
        let (completions_sender, completions) = crossbeam_channel::unbounded();
        let credentials = match &options.docker_config {
            Some(path) => DockerCredentials::load(path),
            None => DockerCredentials::load_default(),
        };
        let shared = Arc::new(Shared {
            disk: DiskCache::new(cache_dir, options.ttl),
            memory: Mutex::default(),
            disk_checked: Mutex::default(),
            pending: Mutex::default(),
            backoff: Mutex::default(),
            log_failures: options.log_failures,
            credential_problems: credentials.problems.clone(),
            completions: completions_sender,
            sink,
        });
        let (jobs, job_receiver) = tokio::sync::mpsc::unbounded_channel();
        if options.log_failures {
            for problem in &credentials.problems {
                eprintln!("dockside: registry: {problem}");
            }
        }
        let worker = Worker {
            shared: Arc::clone(&shared),
        };
        let insecure = insecure.to_vec();
        let spawned = std::thread::Builder::new()
            .name("dockside-registry".to_string())
            .spawn(move || worker.run(job_receiver, insecure, credentials, options));
        if let Err(error) = spawned {
            // The receiver went down with the closure: every request now reports `Stopped`.
            eprintln!("dockside: registry: cannot start the look-up thread: {error}");
        }
        RegistryService {
            jobs,
            completions,
            shared,
        }
    }

    /// Finished [`request`](Self::request)s, for the main loop's `select!`.
    pub fn completions(&self) -> Receiver<Completion> {
        self.completions.clone()
    }

    /// Problems reading the user's Docker config, e.g. invalid JSON (already logged when
    /// `log_failures` is on).
    pub fn credential_problems(&self) -> &[String] {
        &self.shared.credential_problems
    }

    /// Where answers are kept (`None` when no cache directory exists).
    pub fn cache_dir(&self) -> Option<&std::path::Path> {
        self.shared.disk.dir()
    }

    /// The last answer for `reference` if the image was found, however old. Never waits on
    /// the network (at most one small file read per reference).
    pub fn cached(&self, reference: &ImageRef) -> Option<RemoteImage> {
        match self.cached_lookup(reference)? {
            RemoteLookup::Found(image) => Some(image),
            RemoteLookup::NotFound(_) => None,
        }
    }

    /// The last answer for `reference`, found or not found, however old.
    pub fn cached_lookup(&self, reference: &ImageRef) -> Option<RemoteLookup> {
        self.cached_by_key(&lookup_key(reference)?)
    }

    fn cached_by_key(&self, key: &str) -> Option<RemoteLookup> {
        if let Some(lookup) = lock(&self.shared.memory).get(key) {
            return Some(lookup.clone());
        }
        if !lock(&self.shared.disk_checked).insert(key.to_string()) {
            return None;
        }
        let lookup = self.shared.disk.read(key)?;
        Some(
            lock(&self.shared.memory)
                .entry(key.to_string())
                .or_insert(lookup)
                .clone(),
        )
    }

    /// Queues a look-up unless the cached answer is fresh, one is already queued, or the
    /// registry is backing off after failures. Returns whether a look-up was queued; its
    /// answer arrives on [`completions`](Self::completions).
    pub fn request(&self, reference: &ImageRef) -> bool {
        let (Some(key), Some(target)) = (lookup_key(reference), Target::from_image_ref(reference))
        else {
            return false;
        };
        if self
            .cached_by_key(&key)
            .is_some_and(|lookup| self.shared.disk.is_fresh(&lookup, now_unix()))
        {
            return false;
        }
        if self.shared.backing_off(&target.registry).is_some() {
            return false;
        }
        if !lock(&self.shared.pending).insert(key.clone()) {
            return false;
        }
        let sent = self.jobs.send(Job {
            key: key.clone(),
            target,
            reply: None,
        });
        if sent.is_err() {
            lock(&self.shared.pending).remove(&key);
            self.shared.deliver(Completion {
                result: Err(stopped(&key)),
                key,
            });
        }
        true
    }

    /// Asks the registry now (whatever the cache holds) and waits at most `timeout`. The answer
    /// also goes to the cache.
    pub fn lookup_blocking(
        &self,
        reference: &ImageRef,
        timeout: Duration,
    ) -> Result<RemoteLookup, LookupError> {
        let (Some(key), Some(target)) = (lookup_key(reference), Target::from_image_ref(reference))
        else {
            return Err(LookupError {
                registry: reference.registry().to_string(),
                reference: reference.text().to_string(),
                kind: LookupErrorKind::InvalidReference,
                message: format!(
                    "`{}` cannot be looked up: it is not a valid image reference or still contains variables",
                    reference.text()
                ),
            });
        };
        let (reply, answer) = crossbeam_channel::bounded(1);
        let job = Job {
            key: key.clone(),
            target: target.clone(),
            reply: Some(reply),
        };
        if self.jobs.send(job).is_err() {
            return Err(stopped(&key));
        }
        answer.recv_timeout(timeout).unwrap_or_else(|_| {
            Err(LookupError {
                registry: target.registry.clone(),
                reference: target.display(),
                kind: LookupErrorKind::Timeout,
                message: format!(
                    "registry {} did not answer for {} within {:.1} s",
                    target.registry,
                    target.display(),
                    timeout.as_secs_f32()
                ),
            })
        })
    }
}

impl RegistryLookup for RegistryService {
    fn cached(&self, reference: &ImageRef) -> Option<RemoteLookup> {
        self.cached_lookup(reference)
    }

    /// The reference's own answer first, else any answer in memory about another tag or
    /// digest of the same repository.
    fn cached_tags(&self, reference: &ImageRef) -> Option<Vec<String>> {
        if let Some(tags) = self
            .cached_lookup(reference)
            .as_ref()
            .and_then(repository_tags)
        {
            return Some(tags);
        }
        repository_tags_among(reference, lock(&self.shared.memory).iter())
    }
}

fn stopped(key: &str) -> LookupError {
    LookupError {
        registry: key.split('/').next().unwrap_or(key).to_string(),
        reference: key.to_string(),
        kind: LookupErrorKind::Stopped,
        message: format!("registry look-up of {key} impossible: the look-up thread is not running"),
    }
}

impl Shared {
    /// `Some(seconds left)` while `registry` is in back-off.
    fn backing_off(&self, registry: &str) -> Option<Duration> {
        let backoff = lock(&self.backoff);
        let until = backoff.get(registry)?.until?;
        until.checked_duration_since(Instant::now())
    }

    fn record_failure(&self, registry: &str) -> Duration {
        let mut backoff = lock(&self.backoff);
        let entry = backoff.entry(registry.to_string()).or_default();
        entry.failures = entry.failures.saturating_add(1);
        let factor = 1u32 << entry.failures.saturating_sub(1).min(16);
        let delay = BACKOFF_FIRST.saturating_mul(factor).min(BACKOFF_MAX);
        entry.until = Some(Instant::now() + delay);
        delay
    }

    fn record_success(&self, registry: &str) {
        lock(&self.backoff).remove(registry);
    }

    fn deliver(&self, completion: Completion) {
        match &self.sink {
            Some(sink) => sink(completion),
            None => {
                let _ = self.completions.send(completion);
            }
        }
    }
}

/// The background thread's side.
struct Worker {
    shared: Arc<Shared>,
}

impl Worker {
    fn run(
        self,
        mut jobs: tokio::sync::mpsc::UnboundedReceiver<Job>,
        insecure: Vec<String>,
        credentials: DockerCredentials,
        options: RegistryOptions,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build();
        let runtime = match runtime {
            Ok(runtime) => runtime,
            Err(error) => {
                eprintln!("dockside: registry: cannot start the async runtime: {error}");
                return;
            }
        };
        let worker = Arc::new(self);
        runtime.block_on(async move {
            let fetcher = Arc::new(Fetcher::new(
                &insecure,
                credentials,
                options.timeout,
                options.max_in_flight,
            ));
            while let Some(job) = jobs.recv().await {
                let worker = Arc::clone(&worker);
                let fetcher = Arc::clone(&fetcher);
                tokio::spawn(async move { worker.handle(job, &fetcher).await });
            }
        });
    }

    async fn handle(&self, job: Job, fetcher: &Fetcher) {
        let registry = job.target.registry.clone();
        let result = match self.shared.backing_off(&registry) {
            Some(left) => Err(LookupError {
                registry: registry.clone(),
                reference: job.target.display(),
                kind: LookupErrorKind::BackingOff,
                message: format!(
                    "registry {registry} failed recently; not asked again for {} s",
                    left.as_secs().max(1)
                ),
            }),
            None => fetcher.lookup(&job.target).await,
        };
        match &result {
            Ok(lookup) => {
                self.shared.record_success(&registry);
                lock(&self.shared.memory).insert(job.key.clone(), lookup.clone());
                if let Err(problem) = self.shared.disk.write(&job.key, lookup) {
                    if self.shared.log_failures {
                        eprintln!("dockside: registry: cache: {problem}");
                    }
                }
            }
            Err(error) if error.kind == LookupErrorKind::BackingOff => {}
            Err(error) => {
                let delay = self.shared.record_failure(&registry);
                if self.shared.log_failures {
                    eprintln!(
                        "dockside: registry: {error} (next try for {registry} in {} s at the earliest)",
                        delay.as_secs()
                    );
                }
            }
        }
        lock(&self.shared.pending).remove(&job.key);
        match job.reply {
            Some(reply) => {
                let _ = reply.send(result);
            }
            None => {
                self.shared.deliver(Completion {
                    key: job.key,
                    result,
                });
            }
        }
    }
}
