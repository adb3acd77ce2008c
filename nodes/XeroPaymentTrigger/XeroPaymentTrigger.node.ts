import { xero } from '../providers/xero';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class XeroPaymentTrigger extends createPaymentTrigger([xero], {
	name: 'xeroPaymentTrigger',
	displayName: 'Xero Payment Trigger',
	icon: 'file:xero.svg',
}) {}
