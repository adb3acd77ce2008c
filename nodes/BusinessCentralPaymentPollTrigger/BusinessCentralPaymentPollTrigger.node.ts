import { businesscentral } from '../providers/businesscentral';
import { createPaymentPoller } from '../shared/paymentPoller';

export class BusinessCentralPaymentPollTrigger extends createPaymentPoller(businesscentral, {
	name: 'businessCentralPaymentPollTrigger',
	displayName: 'Business Central Payment Poll Trigger',
	icon: 'file:businesscentral.svg',
}) {}
