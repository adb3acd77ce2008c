import { businesscentral } from '../providers/businesscentral';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class BusinessCentralPaymentTrigger extends createPaymentTrigger([businesscentral], {
	name: 'businessCentralPaymentTrigger',
	displayName: 'Business Central Payment Trigger',
	icon: 'file:businesscentral.svg',
}) {}
