"""GNG: gang scheduling (`gang_scheduling`)."""
