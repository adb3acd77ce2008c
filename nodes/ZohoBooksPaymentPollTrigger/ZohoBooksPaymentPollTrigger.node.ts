import { zohobooks } from '../providers/zohobooks';
import { createPaymentPoller } from '../shared/paymentPoller';

export class ZohoBooksPaymentPollTrigger extends createPaymentPoller(zohobooks, {
	name: 'zohoBooksPaymentPollTrigger',
	displayName: 'Zoho Books Payment Poll Trigger',
	icon: 'file:zohobooks.svg',
}) {}
