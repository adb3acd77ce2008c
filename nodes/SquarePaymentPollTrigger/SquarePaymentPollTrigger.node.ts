import { square } from '../providers/square';
import { createPaymentPoller } from '../shared/paymentPoller';

export class SquarePaymentPollTrigger extends createPaymentPoller(square, {
	name: 'squarePaymentPollTrigger',
	displayName: 'Square Payment Poll Trigger',
	icon: 'file:square.svg',
}) {}
