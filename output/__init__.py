"""Parquet datasets: one schema per dataset, atomic Hive-partitioned files."""
