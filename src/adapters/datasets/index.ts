export { loadPromptTemplates, promptFile } from './prompt-files.js';
export { loadSeedItems, describeSource, type SeedSourceSpec, type LoadSeedOptions } from './load-seeds.js';
export { resolveSeeds, resolveSeedSet, fullSetSource, type ResolvedSeeds, type ResolveSeedsOptions, type SeedOrigin } from './seed-resolver.js';
export { fetchHfRows, hfCachePath, DEFAULT_HF_ENDPOINT, type HfDatasetRef, type HfFetchOptions, type HfRowsResult } from './hf-rows.js';
export { HfError, type HfErrorKind } from './hf-http.js';
export { loadSeedManifest, manifestPath, manifestSetting, seedManifestSchema, type SeedManifest, type ManifestSet, type ManifestSetting } from './manifest.js';
export { SeedDataError, readRowFile, type LocatedRow } from './row-file.js';
export { getPath, lookupField, matchesFilters, type RowFilter } from './field-map.js';
export { projectRoot, defaultPromptsDir, bundledSeedsDir, sharedDataDir, hfCacheDir, displayPath } from './paths.js';
