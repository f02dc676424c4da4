/**
 * What a dataset is made of: the folders the user dragged in, how they reshaped the classes, and single-image
 * edits. The engine scans it; the project stores it; every run records it.
 */
import { z } from 'zod';

/** One folder the user dragged in. */
export const DataSource = z
  .object({
    /** Absolute folder path. */
    path: z.string().min(1),
    /**
     * 'parent': each sub-folder is a class (images nested deeper belong to their top sub-folder);
     * 'class': the folder itself is one class.
     */
    mode: z.enum(['parent', 'class']),
    /** Class name for mode 'class'. Default: the folder's name. */
    className: z.string().min(1).max(200).optional(),
  })
  .strict();
export type DataSource = z.infer<typeof DataSource>;

/** Single images left out or given another class, by absolute path (the user's files stay where they are). */
export const ImageEdits = z
  .object({
    /** Images left out of the dataset. Default: none. */
    excluded: z.array(z.string().min(1)).max(100_000).default([]),
    /** Images given another (final) class than their folder's: path → class name. Default: none. */
    classes: z.record(z.string().min(1), z.string().min(1).max(200)).default({}),
    /**
     * The user's pick for label conflicts (one image found in two or more classes), keyed by the image's
     * content hash (sha256, hex: the copies are byte-identical files at different paths): the class it is
     * kept in, or null to leave it out of every class. Default: none (every conflict left out until picked).
     */
    conflicts: z.record(z.string().regex(/^[0-9a-f]{64}$/), z.string().min(1).max(200).nullable()).optional(),
  })
  .strict();
export type ImageEdits = z.infer<typeof ImageEdits>;

/** What the user dragged in and how they reshaped the classes. */
export const DatasetSpec = z
  .object({
    sources: z.array(DataSource).min(1).max(1000),
    /** Class renames, old name → new name (renaming onto an existing name merges). Default: none. */
    renames: z.record(z.string(), z.string().min(1).max(200)).default({}),
    /** Merges: every class in `from` becomes `into`. Applied after renames. Default: none. */
    merges: z
      .array(z.object({ into: z.string().min(1).max(200), from: z.array(z.string()).min(1) }).strict())
      .default([]),
    /** Class names (original or final) left out. Default: none. */
    excluded: z.array(z.string()).default([]),
    /** Single images left out or given another class (the Evaluate step's mistakes), by absolute path. Default: none. */
    files: ImageEdits.optional(),
  })
  .strict();
export type DatasetSpec = z.infer<typeof DatasetSpec>;
export type DatasetSpecInput = z.input<typeof DatasetSpec>;
