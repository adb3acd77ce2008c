import { square } from '../providers/square';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class SquarePaymentTrigger extends createPaymentTrigger([square], {
	name: 'squarePaymentTrigger',
	displayName: 'Square Payment Trigger',
	icon: 'file:square.svg',
}) {}
