import { shopify } from '../providers/shopify';
import { createPaymentTrigger } from '../shared/paymentTrigger';

export class ShopifyPaymentTrigger extends createPaymentTrigger([shopify], {
	name: 'shopifyPaymentTrigger',
	displayName: 'Shopify Payment Trigger',
	icon: 'file:shopify.svg',
}) {}
