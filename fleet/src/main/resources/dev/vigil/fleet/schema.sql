-- db-scheduler's table (https://github.com/kagkarlsson/db-scheduler, PostgreSQL DDL), created if absent.
create table if not exists scheduled_tasks (
  task_name text not null,
  task_instance text not null,
  task_data bytea,
  execution_time timestamp with time zone not null,
  picked boolean not null,
  picked_by text,
  last_success timestamp with time zone,
  last_failure timestamp with time zone,
  consecutive_failures int,
  last_heartbeat timestamp with time zone,
  version bigint not null,
  priority smallint,
  primary key (task_name, task_instance)
);
create index if not exists execution_time_idx on scheduled_tasks (execution_time);
create index if not exists last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index if not exists priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

-- Vigil's own: why a partition's verification fails and since when, kept until it succeeds, read by vigil status.
create table if not exists vigil_partition_failures (
  partition text primary key,
  failing_since timestamp with time zone not null,
  last_failure timestamp with time zone not null,
  message text not null
);

-- Vigil's own: each partition's last completed verification and the worker that did it, which holds the partition's
-- reference in its work-dir and is preferred for the next one. A deferral to that worker is not a verification, so
-- this, not db-scheduler's last_success, says when a partition was last verified.
create table if not exists vigil_partitions (
  partition text primary key,
  verified_at timestamp with time zone,
  verified_by text,
  deferred_since timestamp with time zone
);

-- Vigil's own: the workers, each renewing its row every poll-interval. A row older than heartbeat x missed-heartbeats
-- is a worker gone.
create table if not exists vigil_workers (
  name text primary key,
  seen_at timestamp with time zone not null
);

-- Migration: before per-partition archive verification (verify-partition-archive), archive verification was one
-- fleet-wide recurring task. No worker runs it any more: remove its row rather than leave db-scheduler warning about it.
delete from scheduled_tasks where task_name = 'verify-archive' and task_instance = 'recurring';
