/** A lesson's saved models (front matter `models`), made available to `PipelineModel.load` before its program is captured. */
import { join } from 'node:path';
import { nodeModelFiles } from '../../runtime/src/connectors/ml/node-model-files.js';
import { readSavedModel } from '../../runtime/src/connectors/ml/saved-model-reader.js';
import { provideSavedModel } from '../../runtime/src/engine/ml/saved-model.js';
import { loadLesson } from '../../runtime/src/lessons/load-lessons.js';

/** Provides the lesson's models by name; returns their names. */
export async function provideLessonModels(lessonsRoot: string, dir: string): Promise<string[]> {
  const lesson = await loadLesson(join(lessonsRoot, dir), dir);
  for (const name of lesson.models) provideSavedModel(name, await readSavedModel(nodeModelFiles(), join(lessonsRoot, dir, name)));
  return lesson.models;
}
