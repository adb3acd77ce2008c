import { ChannelError, type ChannelAdapter, type ChannelTools, type Delivery, type SendResult } from '../channels/types';
import { pause } from '../shared/providerApi';

/** One confirmation to send on one channel. */
export interface Job {
	itemIndex: number;
	channel: ChannelAdapter;
	delivery: Delivery;
}

export interface Attempt {
	job: Job;
	attempt: number;
	result?: SendResult;
	error?: ChannelError;
}

export interface DispatchOptions {
	maxAttempts: number;
	/** Messages in flight at once per channel, for channels without a batch API. */
	concurrency: number;
	/** Called after every attempt, for the audit. */
	onAttempt: (attempt: Attempt) => void;
}


function asChannelError(channel: ChannelAdapter, caught: unknown): ChannelError {
	if (caught instanceof ChannelError) return caught;
	// No answer at all (a timeout, a reset connection): worth another try.
	return new ChannelError(`${channel.displayName}: ${caught instanceof Error ? caught.message : String(caught)}`, {
		retryable: true,
		code: 'network',
	});
}

function backoff(errors: ChannelError[], attempt: number): number {
	const asked = errors.flatMap((error) => (error.details.retryAfterMs === undefined ? [] : [error.details.retryAfterMs]));
	return Math.min(asked.length ? Math.max(...asked) : 500 * 2 ** (attempt - 1), 30_000);
}

/** Sends one job, retrying rate limits and temporary failures with backoff (Retry-After when the provider says). */
async function sendOne(job: Job, tools: ChannelTools, options: DispatchOptions): Promise<Attempt> {
	for (let attempt = 1; ; attempt++) {
		try {
			const result = await job.channel.send(job.delivery, tools);
			const done = { job, attempt, result };
			options.onAttempt(done);
			return done;
		} catch (caught) {
			const error = asChannelError(job.channel, caught);
			const failed = { job, attempt, error };
			options.onAttempt(failed);
			if (!error.details.retryable || attempt >= options.maxAttempts) return failed;
			await pause(backoff([error], attempt));
		}
	}
}

/** Sends jobs of one batch-capable channel in as few requests as its batch API allows, retrying the failed part. */
async function sendBatched(jobs: Job[], tools: ChannelTools, options: DispatchOptions): Promise<Attempt[]> {
	const batch = jobs[0].channel.batch!;
	const final: Attempt[] = [];
	for (let start = 0; start < jobs.length; start += batch.max) {
		let pending = jobs.slice(start, start + batch.max);
		for (let attempt = 1; pending.length; attempt++) {
			let results: Array<SendResult | ChannelError>;
			try {
				results = await batch.send(
					pending.map((job) => job.delivery),
					tools,
				);
			} catch (caught) {
				results = pending.map(() => asChannelError(pending[0].channel, caught));
			}
			const retry: Job[] = [];
			const errors: ChannelError[] = [];
			pending.forEach((job, index) => {
				const outcome = results[index];
				const done: Attempt = outcome instanceof ChannelError ? { job, attempt, error: outcome } : { job, attempt, result: outcome };
				options.onAttempt(done);
				if (done.error?.details.retryable && attempt < options.maxAttempts) {
					retry.push(job);
					errors.push(done.error);
				} else {
					final.push(done);
				}
			});
			if (retry.length) await pause(backoff(errors, attempt));
			pending = retry;
		}
	}
	return final;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const workers = Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
		while (next < items.length) await work(items[next++]);
	});
	await Promise.all(workers);
}

/**
 * Sends every job: channels side by side, each through its batch API when it has one (and more than one job), else
 * with `concurrency` messages in flight. Resolves with the last attempt of each job, in the jobs' order.
 */
export async function dispatch(
	jobs: Job[],
	toolsFor: (channel: ChannelAdapter) => Promise<ChannelTools>,
	options: DispatchOptions,
): Promise<Attempt[]> {
	const byChannel = new Map<ChannelAdapter, Job[]>();
	for (const job of jobs) byChannel.set(job.channel, [...(byChannel.get(job.channel) ?? []), job]);
	const outcomes = new Map<Job, Attempt>();
	await Promise.all(
		[...byChannel].map(async ([channel, group]) => {
			const tools = await toolsFor(channel);
			if (channel.batch && group.length > 1) {
				for (const attempt of await sendBatched(group, tools, options)) outcomes.set(attempt.job, attempt);
				return;
			}
			await pool(group, options.concurrency, async (job) => {
				outcomes.set(job, await sendOne(job, tools, options));
			});
		}),
	);
	return jobs.map((job) => outcomes.get(job)!);
}
