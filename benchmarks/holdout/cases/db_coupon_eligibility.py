from django.http import JsonResponse
from django.views import View

from promotions.models import Coupon, Redemption


class EligibleCouponsView(View):
    def post(self, request):
        codes = request.POST.getlist("codes")
        user = request.user
        eligible = []
        for code in codes:
            coupon = Coupon.objects.filter(code=code, active=True).first()  # expect: L2
            if coupon is None:
                continue
            if Redemption.objects.filter(coupon=coupon, user=user).exists():  # expect: L2
                continue
            used = Redemption.objects.filter(coupon=coupon).count()  # expect: L2
            if used < coupon.max_uses:
                eligible.append(code)
        return JsonResponse({"eligible": eligible})


class EligibleCouponsBatchView(View):
    def post(self, request):
        codes = request.POST.getlist("codes")
        coupons = Coupon.objects.filter(active=True).in_bulk(codes, field_name="code")  # expect-none
        mine = set(
            Redemption.objects.filter(user=request.user, coupon__code__in=codes).values_list("coupon_id", flat=True)
        )
        eligible = []
        for code in codes:
            coupon = coupons.get(code)  # expect-none
            if coupon is None or coupon.id in mine:  # expect-none
                continue
            eligible.append(code)
        return JsonResponse({"eligible": eligible})
