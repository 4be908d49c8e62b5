"""ACC: accelerator requests (portability, `dra_support`, `gpu_sharing`)."""
