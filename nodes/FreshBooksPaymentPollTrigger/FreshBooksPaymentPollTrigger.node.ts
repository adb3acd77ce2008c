import { freshbooks } from '../providers/freshbooks';
import { createPaymentPoller } from '../shared/paymentPoller';

export class FreshBooksPaymentPollTrigger extends createPaymentPoller(freshbooks, {
	name: 'freshBooksPaymentPollTrigger',
	displayName: 'FreshBooks Payment Poll Trigger',
	icon: 'file:freshbooks.svg',
}) {}
