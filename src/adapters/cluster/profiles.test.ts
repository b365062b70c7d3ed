import { describe, expect, it } from 'vitest';
import { TrainbenchError } from '../../core/errors.ts';
import { listProfiles, loadProfile, parseProfile } from './profiles.ts';

describe('cluster profiles', () => {
  it('loads every shipped profile', () => {
    expect(listProfiles()).toEqual(expect.arrayContaining(['local', 'dgx-cloud.example', 'baskerville.example']));
    for (const name of listProfiles()) expect(loadProfile(name).schema_version).toBe(1);
  });

  it('names the file and field of a bad value', () => {
    const bad = 'schema_version: 1\nname: x\ngpus_per_node: -1\ngpu_request: none\nstage_path: /s\n';
    try {
      parseProfile(bad, 'site.yaml');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TrainbenchError);
      expect((error as TrainbenchError).file).toBe('site.yaml');
      expect((error as TrainbenchError).field).toBe('gpus_per_node');
      expect((error as TrainbenchError).exitCode).toBe(3);
    }
  });

  it('suggests a close name for an unknown profile', () => {
    expect(() => loadProfile('locl')).toThrow(TrainbenchError);
    try {
      loadProfile('locl');
    } catch (error) {
      expect((error as TrainbenchError).hint).toContain("'local'");
    }
  });
});
