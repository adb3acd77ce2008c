import { truelayer } from '../providers/truelayer';
import { createPaymentPoller } from '../shared/paymentPoller';

export class TrueLayerPaymentPollTrigger extends createPaymentPoller(truelayer, {
	name: 'trueLayerPaymentPollTrigger',
	displayName: 'TrueLayer Payment Poll Trigger',
	icon: 'file:truelayer.svg',
}) {}
