import { xero } from '../providers/xero';
import { createPaymentPoller } from '../shared/paymentPoller';

export class XeroPaymentPollTrigger extends createPaymentPoller(xero, {
	name: 'xeroPaymentPollTrigger',
	displayName: 'Xero Payment Poll Trigger',
	icon: 'file:xero.svg',
}) {}
