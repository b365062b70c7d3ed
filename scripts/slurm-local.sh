#!/usr/bin/env bash
# Placeholder until the embedded Slurm lands: succeeds so the unit suite can run.
exit 0
