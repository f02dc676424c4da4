import { createContext } from 'svelte';
import type { StudioClient } from './api';
import type { BaseChoice } from './state/base-choice.svelte';
import type { DataSources } from './state/data-sources.svelte';
import type { Dataset } from './state/dataset.svelte';
import type { EngineState } from './state/engine.svelte';
import type { Insight } from './state/insight.svelte';
import type { HeadEditor } from './state/head-editor.svelte';
import type { ProjectState } from './state/project.svelte';
import type { Runs } from './state/runs.svelte';
import type { Training } from './state/training.svelte';
import type { Wizard } from './state/wizard.svelte';

/**
 * The app's shared state, set once by App.svelte and read by any component below it.
 * Each pair is [get, set]; get throws when no ancestor set it.
 */
export const [getClient, setClient] = createContext<StudioClient>();
export const [getEngine, setEngine] = createContext<EngineState>();
export const [getWizard, setWizard] = createContext<Wizard>();
export const [getDataSources, setDataSources] = createContext<DataSources>();
export const [getDataset, setDataset] = createContext<Dataset>();
export const [getBaseChoice, setBaseChoice] = createContext<BaseChoice>();
export const [getHeadEditor, setHeadEditor] = createContext<HeadEditor>();
export const [getProject, setProject] = createContext<ProjectState>();
export const [getTraining, setTraining] = createContext<Training>();
export const [getRuns, setRuns] = createContext<Runs>();
export const [getInsight, setInsight] = createContext<Insight>();
