"""SCL rules: autoscaling wiring (`pod_autoscaling`, `cluster_autoscaling`)."""
