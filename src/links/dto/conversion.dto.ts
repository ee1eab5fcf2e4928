import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length, Matches, ValidateBy } from 'class-validator';
import { IsInstant } from '../../common/instant.decorator';
import { Omittable } from '../../common/omittable.decorator';

const MAX_AMOUNT = 999_999_999_999;

/** A number from 0 to MAX_AMOUNT with at most two decimals (class-validator's maxDecimalPlaces breaks on 1e-7). */
function IsAmount() {
  return ValidateBy({
    name: 'isAmount',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= 0 &&
        value <= MAX_AMOUNT &&
        Number(value.toFixed(2)) === value,
      defaultMessage: () => `amount must be a number from 0 to ${MAX_AMOUNT} with no more than two decimals`,
    },
  });
}

export class ReportConversionDto {
  /** The short-link code the buyer came through (the part after `/r/`); or give postId (one of the two, not both). */
  @Omittable()
  @IsString()
  @Length(1, 64)
  code?: string;

  /** The post the order is credited to, when the shop knows it without a code. */
  @Omittable()
  @IsUUID('all')
  postId?: string;

  /** The shop's order id: reporting the same order again changes nothing. */
  @IsString()
  @Length(1, 100)
  orderId: string;

  /** The order's amount, at most two decimals. */
  @ApiProperty({ type: 'number', format: 'double', minimum: 0, maximum: MAX_AMOUNT, multipleOf: 0.01 })
  @IsAmount()
  amount: number;

  /** ISO 4217, e.g. CNY. */
  @Omittable()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as CNY' })
  currency?: string;

  /** When the order was placed; when it is reported if left out. */
  @Omittable()
  @IsInstant()
  orderedAt?: string;
}

export class ConversionDto {
  id: string;
  orderId: string;
  postId: string;
  linkIndex: number | null;
  runId: string | null;
  routineId: string | null;
  stage: string;
  step: number;
  groupId: string;
  contentId: string | null;
  @ApiProperty({ type: 'number', format: 'double' })
  amount: number;
  currency: string | null;
  orderedAt: Date;
  createdAt: Date;
}
