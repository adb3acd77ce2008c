import { authorizenet } from '../providers/authorizenet';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class AuthorizeNetPaymentTrigger extends createPaymentTrigger([authorizenet], {
	name: 'authorizeNetPaymentTrigger',
	displayName: 'Authorize.Net Payment Trigger',
	icon: 'file:authorizenet.svg',
}) {}
