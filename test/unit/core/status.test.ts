import {
	CRM_STATUSES,
	PAYMENT_STATUSES,
	decideStatusUpdate,
	isCrmStatus,
	isPaymentStatus,
	toCrmStatus,
} from '../../../nodes/core/status';

describe('status vocabulary', () => {
	it('maps every detailed status to one of the five CRM statuses', () => {
		expect(Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, toCrmStatus(status)]))).toEqual({
			succeeded: 'Paid',
			pending: 'Pending',
			failed: 'Failed',
			canceled: 'Failed',
			refunded: 'Refunded',
			partially_refunded: 'Refunded',
			partially_paid: 'Partially paid',
			disputed: 'Pending',
		});
		expect([...new Set(PAYMENT_STATUSES.map(toCrmStatus))].sort()).toEqual([...CRM_STATUSES].sort());
	});

	it('tells statuses from other strings', () => {
		expect(isPaymentStatus('succeeded')).toBe(true);
		expect(isPaymentStatus('Paid')).toBe(false);
		expect(isCrmStatus('Partially paid')).toBe(true);
		expect(isCrmStatus('partially paid')).toBe(false);
	});
});

describe('stale-event guard', () => {
	const paid = { occurredAt: '2026-03-01T10:00:05Z', status: 'succeeded' as const, eventId: 'stripe:evt_2' };

	it('applies the first event a record sees', () => {
		expect(decideStatusUpdate(paid, undefined)).toEqual({ apply: true, reason: 'first' });
		expect(decideStatusUpdate(paid, null)).toEqual({ apply: true, reason: 'first' });
	});

	it('never lets a late pending undo Paid', () => {
		const latePending = { occurredAt: '2026-03-01T10:00:01Z', status: 'pending' as const, eventId: 'stripe:evt_1' };
		expect(decideStatusUpdate(latePending, paid)).toEqual({ apply: false, reason: 'older' });
	});

	it('applies a newer event whatever its status (a refund after payment, a retry after failure)', () => {
		const refund = { occurredAt: '2026-03-02T09:00:00Z', status: 'refunded' as const, eventId: 'stripe:evt_3' };
		expect(decideStatusUpdate(refund, paid)).toEqual({ apply: true, reason: 'newer' });
		const failed = { occurredAt: '2026-03-01T10:00:00Z', status: 'failed' as const };
		expect(decideStatusUpdate(paid, failed)).toEqual({ apply: true, reason: 'newer' });
	});

	it('skips the same event delivered twice', () => {
		expect(decideStatusUpdate({ ...paid }, paid)).toEqual({ apply: false, reason: 'duplicate' });
	});

	it('breaks a tie at the same second by lifecycle stage', () => {
		const samePending = { occurredAt: paid.occurredAt, status: 'pending' as const, eventId: 'x:1' };
		expect(decideStatusUpdate(samePending, paid)).toEqual({ apply: false, reason: 'same-time-not-later-stage' });
		expect(decideStatusUpdate(paid, samePending)).toEqual({ apply: true, reason: 'same-time-later-stage' });
		const sameSucceeded = { ...paid, eventId: 'x:2' };
		expect(decideStatusUpdate(sameSucceeded, paid)).toEqual({ apply: false, reason: 'same-time-not-later-stage' });
	});

	it('compares instants, not strings, across offsets and precision', () => {
		const current = { occurredAt: '2026-03-01T12:00:00+02:00', status: 'Paid' as const };
		const incoming = { occurredAt: '2026-03-01T10:00:00.500Z', status: 'Pending' as const };
		expect(decideStatusUpdate(incoming, current)).toEqual({ apply: true, reason: 'newer' });
	});

	it('works on coarse CRM statuses as stored on a record', () => {
		const stored = { occurredAt: '2026-03-01T10:00:00Z', status: 'Paid' as const };
		expect(decideStatusUpdate({ occurredAt: stored.occurredAt, status: 'Refunded' }, stored).apply).toBe(true);
		expect(decideStatusUpdate({ occurredAt: stored.occurredAt, status: 'Partially paid' }, stored).apply).toBe(false);
	});

	it('rejects unreadable times and unknown statuses with a clear error', () => {
		expect(() => decideStatusUpdate({ occurredAt: 'yesterday', status: 'pending' }, paid)).toThrow(
			'incoming occurredAt "yesterday" is not an ISO 8601 date',
		);
		expect(() =>
			decideStatusUpdate({ occurredAt: paid.occurredAt, status: 'settled' as never }, paid),
		).toThrow('Unknown payment status "settled"');
	});
});
