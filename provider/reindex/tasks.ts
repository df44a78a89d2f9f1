// The engine's task API for reindex: start in the background, read status, find a running one, cancel.
import type { Cluster } from "../connection/types";
import { taskFailureItem, type FailureItem } from "./failures";

/** `status` of a reindex task (BulkByScrollTask.Status), the fields this project reads. */
export interface TaskStatus {
  total: number;
  created: number;
  updated: number;
  deleted: number;
  batches: number;
  version_conflicts: number;
  noops: number;
  retries: { search: number; bulk: number };
  /** The task's rate now (documents a second; -1: unthrottled). */
  requests_per_second?: number;
}

export interface TaskState {
  completed: boolean;
  status: TaskStatus;
  /** The engine's failures of a finished task, its own text. */
  failures: string[];
  /** The same failures by type and document id, for grouping. */
  failureItems: FailureItem[];
  /** Set when the task was cancelled. */
  canceled?: string;
}

const EMPTY: TaskStatus = {
  total: 0,
  created: 0,
  updated: 0,
  deleted: 0,
  batches: 0,
  version_conflicts: 0,
  noops: 0,
  retries: { search: 0, bulk: 0 },
};

/** Starts `POST _reindex?wait_for_completion=false` and returns the task id ("node:number"). */
export async function startReindex(
  dest: Cluster,
  body: unknown,
  querystring: Record<string, string | number | boolean | undefined>,
): Promise<string> {
  const res = await dest.request<{ task?: string }>({
    method: "POST",
    path: "/_reindex",
    querystring,
    body,
    idempotent: false,
  });
  if (typeof res?.task !== "string")
    throw new Error(`${dest.label}: POST /_reindex did not return a task id: ${JSON.stringify(res).slice(0, 300)}`);
  return res.task;
}

function text(x: unknown): string {
  if (typeof x === "string") return x;
  const o = x as Record<string, unknown> | null;
  if (o === null || typeof o !== "object") return String(x);
  const reason = o.reason ?? o.cause ?? o.error;
  const type = typeof o.type === "string" ? `${o.type}: ` : "";
  if (typeof reason === "string")
    return `${type}${reason}${o.caused_by !== undefined ? ` (caused by ${text(o.caused_by)})` : ""}`;
  if (reason !== undefined && typeof reason === "object")
    return `${o.id !== undefined ? `document ${o.id}: ` : ""}${text(reason)}`;
  return JSON.stringify(o).slice(0, 500);
}

/** `GET _tasks/<id>`: the fields read here (a finished task's `response` repeats the status fields). */
interface TaskResponse {
  completed?: boolean;
  task?: { status?: Partial<TaskStatus> };
  response?: Partial<TaskStatus> & { failures?: unknown[]; canceled?: unknown };
  error?: { type?: unknown } | string | null;
}

/** Reads the body of `GET _tasks/<id>` into what the provider needs. Pure. */
export function parseTask(answer: unknown): TaskState {
  const body = answer as TaskResponse | undefined;
  const status: TaskStatus = { ...EMPTY, ...(body?.task?.status ?? {}), ...(body?.response ?? {}) };
  const failures: string[] = [];
  const failureItems: FailureItem[] = [];
  if (body?.error !== undefined) {
    failures.push(text(body.error));
    failureItems.push({ type: String((typeof body.error === "object" ? body.error?.type : undefined) ?? "error") });
  }
  for (const f of body?.response?.failures ?? []) {
    failures.push(text(f));
    failureItems.push(taskFailureItem(f));
  }
  const canceled = typeof body?.response?.canceled === "string" ? body.response.canceled : undefined;
  return { completed: body?.completed === true, status, failures, failureItems, canceled };
}

export async function getTask(dest: Cluster, id: string): Promise<TaskState> {
  const body = await dest.request({ method: "GET", path: `/_tasks/${encodeURIComponent(id)}`, ignore: [404] });
  if (body === undefined) {
    return {
      completed: true,
      status: EMPTY,
      failures: [
        `task ${id} is gone (the node that ran it restarted, or its result expired): the next pulumi up starts it again`,
      ],
      failureItems: [{ type: "task gone" }],
    };
  }
  return parseTask(body);
}

/** Whether a task description ("reindex from [...][src] to [dest]" or with "[_doc]" after) names `destIndex`. Pure. */
export function describesDestination(description: string | undefined, destIndex: string): boolean {
  return (
    typeof description === "string" &&
    /^reindex from /.test(description) &&
    (description.endsWith(` to [${destIndex}]`) || description.includes(` to [${destIndex}][`))
  );
}

/** Ids of the top-level reindex tasks running into `destIndex` (sliced tasks' children left out). */
export async function runningReindexTasks(dest: Cluster, destIndex: string): Promise<string[]> {
  const body = await dest.request<{
    nodes?: Record<string, { tasks?: Record<string, { parent_task_id?: string; description?: string }> }>;
  }>({
    method: "GET",
    path: "/_tasks",
    querystring: { actions: "*reindex", detailed: true },
  });
  const ids: string[] = [];
  for (const node of Object.values(body?.nodes ?? {})) {
    for (const [id, task] of Object.entries(node.tasks ?? {})) {
      if (task.parent_task_id === undefined && describesDestination(task.description, destIndex)) ids.push(id);
    }
  }
  return ids.sort();
}

export async function cancelTask(dest: Cluster, id: string): Promise<void> {
  await dest.request({ method: "POST", path: `/_tasks/${encodeURIComponent(id)}/_cancel`, ignore: [404] });
}
