import { sageintacct } from '../providers/sageintacct';
import { createPaymentPoller } from '../shared/paymentPoller';

export class SageIntacctPaymentPollTrigger extends createPaymentPoller(sageintacct, {
	name: 'sageIntacctPaymentPollTrigger',
	displayName: 'Sage Intacct Payment Poll Trigger',
	icon: 'file:sageintacct.svg',
}) {}
